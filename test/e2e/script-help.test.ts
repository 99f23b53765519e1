/*
 * `--help` on every package.json script that runs a file of this repository (the others run a
 * tool, vitest, tsc, eslint or prettier, whose --help is its own): `npm run -s <script> --
 * --help` exits 0 with the usage on stdout and does nothing else, and an unknown flag (given to
 * the script's command without npm) is one line on stderr and exit code 2. Each script runs in a copy of the repository, so a file it
 * writes (a dashboard, a rule file, a build) shows, whatever else runs beside it.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';

const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
/** The scripts whose command runs one of the repository's own files. */
const ownScripts = Object.entries(scripts)
  .filter(([, command]) => /(?:^|\s)(?:src|scripts|bench)\/\S+\.(?:ts|mjs)(?:\s|$)/.test(command))
  .map(([name]) => name);

/** A copy of the repository's files (tracked or new, not ignored), with node_modules linked. */
function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-script-help-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(file, join(dir, file));
  }
  symlinkSync(realpathSync('node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Every file under `dir` but node_modules, with its modification time and size. */
function filesOf(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || path.startsWith(join(dir, 'node_modules'))) continue;
    const stat = statSync(path);
    found.set(path.slice(dir.length + 1), `${stat.mtimeMs} ${stat.size}`);
  }
  return found;
}

const npmRun = (cwd: string, script: string, flag: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      'npm',
      ['run', '-s', script, '--', flag],
      { cwd, timeout: 60_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });

/**
 * The script's own command run as npm runs it (by sh, node_modules/.bin on the PATH) without
 * npm itself: half the CPU time, for the second look at each script.
 */
const scriptRun = (cwd: string, script: string, flag: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      'sh',
      ['-c', `${scripts[script]} "$0"`, flag],
      {
        cwd,
        timeout: 60_000,
        env: { ...process.env, PATH: `${join(cwd, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
      },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });

describe('every script that takes arguments', () => {
  it('is found by the walk, those the README documents among them', ({ expect }) => {
    expect(ownScripts).toEqual(
      expect.arrayContaining(['simulate', 'sweep', 'monitoring', 'backfill', 'rules', 'dashboards', 'regimes']),
    );
  });

  it.concurrent.for(ownScripts)(
    '%s: --help prints the usage and does nothing else; an unknown flag is one line and exit 2',
    { timeout: 120_000 },
    async (script, { expect }) => {
      const dir = copyOfRepository();
      const before = filesOf(dir);
      const help = await npmRun(dir, script, '--help');
      expect(help.stderr).toBe('');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`npm run ${script}`);
      const unknown = await scriptRun(dir, script, '--no-such-flag');
      expect(unknown.code).toBe(2);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringContaining("'--no-such-flag'")]);
      expect(filesOf(dir)).toEqual(before);
    },
  );
});
