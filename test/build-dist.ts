/*
 * Vitest's global setup: the end-to-end tests run the bundled commands (dist/cli/tradesim.mjs
 * and sweep.mjs, what the `tradesim` command runs), which start in a tenth of the CPU time of
 * the sources under tsx. The bundle is built again before the tests, and before each rerun in
 * watch mode, when what it is built from is newer than it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What scripts/build.mjs writes, the files the tests run. */
const OUTPUTS = ['tradesim.mjs', 'sweep.mjs', 'sweep-worker.mjs'].map((name) => join(ROOT, 'dist', 'cli', name));
/** What the bundle is built from: the sources, the build script, the compiler's settings and the dependencies. */
const INPUTS = ['scripts/build.mjs', 'tsconfig.json', 'package-lock.json'].map((path) => join(ROOT, path));
/** Held while one test run builds: another run started beside it waits, then finds the bundle fresh. */
const LOCK = join(ROOT, 'dist', '.build-lock');
const LOCK_STALE_MS = 120_000;

/** The latest modification time of a file under `dir`. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.NaN;
  }
};

function stale(): boolean {
  const built = Math.min(...OUTPUTS.map(mtime));
  const sources = Math.max(newestUnder(join(ROOT, 'src')), ...INPUTS.map((path) => mtime(path) || 0));
  return !(built >= sources);
}

/** Takes the build lock, waiting for another run's build (or taking over a lock left for minutes). */
function lock(): void {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      if (Date.now() - mtime(LOCK) > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function buildIfStale(): void {
  if (!stale()) return;
  lock();
  try {
    if (stale()) execFileSync(process.execPath, [join('scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export default function setup(project: TestProject): void {
  buildIfStale();
  project.onTestsRerun(() => buildIfStale());
}
