import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type BundledScript, scriptBundle } from '../script-bundles.js';
import { waitFor } from '../wait-for.js';

/** A spawned process with its output collected so far. */
export interface Spawned {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Spawns a command in its own process group (so the whole group can be stopped). */
export function start(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
): Spawned {
  const child = spawn(command, [...args], {
    ...(cwd ? { cwd } : {}),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * The bundled `tradesim` command, as node's arguments (test/build-dist.ts builds it before the
 * tests): it starts in a tenth of the CPU time of the sources under tsx, which `npm run
 * simulate` runs and a few tests still run.
 */
export const CLI = ['dist/cli/tradesim.mjs'] as const;
/** The bundled `sweep` command, as node's arguments. */
export const SWEEP = ['dist/cli/sweep.mjs'] as const;

/** The CLI, the bundled `tradesim` command. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): Spawned {
  return start(process.execPath, [...CLI, ...args], env);
}

/** Sends a signal to a spawned process group, ignoring one that is gone. */
export function signal(spawned: Spawned, name: NodeJS.Signals): void {
  try {
    if (spawned.child.pid) process.kill(-spawned.child.pid, name);
  } catch {
    // Already exited.
  }
}

/** Polls with a deadline (see test/wait-for.ts); here for the e2e tests that import it from this file. */
export { waitFor };

/** The URL the CLI announces on stderr once it listens. */
export const servingUrl = (spawned: Spawned) =>
  waitFor('the CLI to listen', () => /serving (http:\/\/[^\s,]+)\/metrics/.exec(spawned.stderr())?.[1]);

/**
 * Prometheus (Debian's `prometheus`) listening on 127.0.0.1:`port`, reading `config`, its
 * TSDB in `dataDir`, with any further `flags`. The caller waits for what it needs (ready,
 * a target up) and stops it with `signal`.
 */
export function startPrometheus(options: {
  readonly config: string;
  readonly dataDir: string;
  readonly port: number;
  readonly flags?: readonly string[];
}): Spawned {
  return start('prometheus', [
    `--config.file=${options.config}`,
    `--storage.tsdb.path=${options.dataDir}`,
    `--web.listen-address=127.0.0.1:${options.port}`,
    ...(options.flags ?? []),
  ]);
}

/** One scrape job of a test's Prometheus: its name and its one target (host:port). */
export interface PrometheusJob {
  readonly name: string;
  readonly target: string;
  /** Keep the scraped labels (a Pushgateway's job and instance). */
  readonly honorLabels?: boolean;
}

/**
 * Writes `dir`/prometheus.yml and returns its path: scrape and evaluation every `interval`
 * (1s by default), the rule files (absolute paths), an Alertmanager (host:port) and the jobs.
 */
export function writePrometheusConfig(
  dir: string,
  options: {
    readonly interval?: string;
    readonly rules?: readonly string[];
    readonly alertmanager?: string;
    readonly jobs?: readonly PrometheusJob[];
  } = {},
): string {
  const { interval = '1s', rules = [], alertmanager, jobs = [] } = options;
  const lines = [`global: { scrape_interval: ${interval}, evaluation_interval: ${interval} }`];
  if (rules.length > 0) lines.push(`rule_files: [${rules.map((r) => `'${r}'`).join(', ')}]`);
  if (alertmanager) lines.push(`alerting: { alertmanagers: [{ static_configs: [{ targets: ['${alertmanager}'] }] }] }`);
  if (jobs.length > 0) lines.push('scrape_configs:');
  for (const job of jobs) {
    lines.push(`  - job_name: ${job.name}`);
    if (job.honorLabels) lines.push('    honor_labels: true');
    lines.push(`    static_configs: [{ targets: ['${job.target}'] }]`);
  }
  const path = join(dir, 'prometheus.yml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A TCP port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A script of scripts/ in its bundle (test/script-bundles.ts): its exit code (null when
 * killed) and stderr, once it has ended (a minute at most).
 */
export function runScript(
  script: BundledScript,
  args: readonly string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...scriptBundle(script), ...args], { timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
    });
  });
}
