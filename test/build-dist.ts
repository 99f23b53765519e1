/*
 * Vitest's global setup: the end-to-end tests run the bundled commands (dist/cli/tradesim.mjs
 * and sweep.mjs, what the `tradesim` command runs), which start in a tenth of the CPU time of
 * the sources under tsx. The scripts they start dozens of times (backfill, monitoring, rules,
 * regimes, incidents) are bundled the same way into dist/scripts. Each bundle is built again
 * before the tests, and before each rerun in watch mode, when what it is built from is newer
 * than it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { SCRIPT_BUNDLES } from './script-bundles.js';

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

const SCRIPTS_OUT = join(ROOT, 'dist', 'scripts');
const SCRIPT_OUTPUTS = SCRIPT_BUNDLES.map((name) => join(SCRIPTS_OUT, `${name}.mjs`));

function scriptsStale(): boolean {
  const built = Math.min(...SCRIPT_OUTPUTS.map(mtime));
  const sources = Math.max(
    newestUnder(join(ROOT, 'src')),
    newestUnder(join(ROOT, 'scripts')),
    mtime(fileURLToPath(import.meta.url)),
    ...INPUTS.map((path) => mtime(path) || 0),
  );
  return !(built >= sources);
}

/**
 * A script of scripts/ runs in its bundle as it runs under tsx: in each of its own modules
 * (scripts/*.ts) import.meta.url is that module's file, which the scripts read their usage
 * from (the leading doc comment) and find the repository's files by. The bundled src/ modules
 * see the bundle's place, two folders down as in dist/cli.
 */
const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /[\\/]scripts[\\/][^\\/]+\.ts$/ }, (args) => {
      const source = relative(SCRIPTS_OUT, args.path).split('\\').join('/');
      const contents = readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(source)}, import.meta.url).href`,
      );
      return { contents, loader: 'ts' };
    });
  },
};

/** Bundles each script of SCRIPT_BUNDLES into dist/scripts/NAME.mjs. */
async function buildScripts(): Promise<void> {
  mkdirSync(SCRIPTS_OUT, { recursive: true });
  for (const name of SCRIPT_BUNDLES) {
    const entry = join(ROOT, 'scripts', `${name}.ts`);
    const source = relative(SCRIPTS_OUT, entry).split('\\').join('/');
    await build({
      entryPoints: [entry],
      outfile: join(SCRIPTS_OUT, `${name}.mjs`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Loaded from node_modules at run time, as in the CLI's bundle: native modules, and
      // piscina, which starts its own worker script by path.
      external: ['piscina', '@resvg/resvg-js', '@duckdb/node-api', 'esbuild'],
      plugins: [sourceUrls],
      // Bundled CommonJS packages call require(); ESM has none of its own. The script's own
      // path as its argument, as tsx gives it (incidents.ts runs only as the main module).
      banner: {
        js: [
          "import { createRequire as __createRequire } from 'node:module';",
          "import { fileURLToPath as __fileURLToPath } from 'node:url';",
          'const require = __createRequire(import.meta.url);',
          `process.argv[1] = __fileURLToPath(new URL(${JSON.stringify(source)}, import.meta.url));`,
        ].join('\n'),
      },
      logLevel: 'warning',
    });
  }
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

async function buildIfStale(): Promise<void> {
  if (!stale() && !scriptsStale()) return;
  lock();
  try {
    if (stale()) execFileSync(process.execPath, [join('scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (scriptsStale()) await buildScripts();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await buildIfStale();
  project.onTestsRerun(() => buildIfStale());
}
