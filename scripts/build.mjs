/**
 * Builds the `tradesim` command (and `sweep`): the CLI and everything it uses bundled into one ESM file,
 * dist/cli/tradesim.mjs (npm run build; npm install runs it). One file loads in well under
 * half the time of the hundreds of modules behind it.
 */
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// --outdir DIR builds elsewhere (a test stages an image's layout without touching dist/).
// --help prints the usage and builds nothing; a bad flag is one line and exit code 2.
const USAGE =
  'Usage: npm run build [-- --outdir DIR]: bundles the tradesim and sweep commands into DIR (default dist/cli)';
let values;
try {
  ({ values } = parseArgs({ options: { outdir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  process.stderr.write(`build: ${error.message.split('\n')[0]}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const outdir = values.outdir ?? 'dist/cli';

// Chunks are named by their content's hash: those of earlier builds would pile up beside the
// new ones, so the last build's files go first.
let earlier = [];
try {
  earlier = readdirSync(outdir).filter((name) => /\.mjs(\.map)?$/.test(name));
} catch {
  // No earlier build.
}
for (const name of earlier) rmSync(join(outdir, name), { force: true });

await build({
  // The tradesim command, and the sweep command with its worker threads' module.
  entryPoints: {
    tradesim: 'src/cli/main.ts',
    sweep: 'src/cli/sweep/main.ts',
    'sweep-worker': 'src/cli/sweep/sweep-worker.ts',
  },
  // Code loaded on demand (the HTTP app) goes to chunks of its own, so a
  // start loads only what it uses.
  outdir,
  entryNames: '[name]',
  // Loaded from node_modules at run time: piscina starts its own worker script by path, and
  // resvg is a native module.
  external: ['piscina', '@resvg/resvg-js'],
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Bundled CommonJS packages call require(); ESM has none of its own.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
