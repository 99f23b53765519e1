/*
 * Vitest's global setup: the end-to-end tests run the bundled commands (dist/cli/tradesim.mjs
 * and sweep.mjs, what the `tradesim` command runs), which start in a tenth of the CPU time of
 * the sources under tsx. The bundle is built again before the tests when a source file is
 * newer than it, so a test never runs yesterday's code.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The bundle the end-to-end tests run; scripts/build.mjs writes it. */
const BUNDLE = join('dist', 'cli', 'tradesim.mjs');

/** The latest modification time of a file under `dir`. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(BUNDLE).mtimeMs;
  } catch {
    return -1;
  }
}

export default function setup(): void {
  const sources = Math.max(newestUnder('src'), statSync(join('scripts', 'build.mjs')).mtimeMs);
  if (builtAt() >= sources) return;
  execFileSync(process.execPath, [join('scripts', 'build.mjs')], { stdio: 'inherit' });
}
