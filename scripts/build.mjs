/**
 * Builds the `tradesim` command (and `sweep`): the CLI and everything it uses bundled into one ESM file,
 * dist/cli/tradesim.mjs (npm run build; npm install runs it). One file loads in well under
 * half the time of the hundreds of modules behind it.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// --outdir DIR builds elsewhere (a test stages an image's layout without touching dist/).
// --help prints the usage and builds nothing; a bad flag is one line and exit code 2.
const USAGE =
  'Usage: npm run build [-- --outdir DIR]: bundles the tradesim and sweep commands into DIR (default dist/cli)';
const fail = (message) => {
  process.stderr.write(`build: ${message}\n`);
  process.exit(2);
};
let values;
let tokens;
try {
  ({ values, tokens } = parseArgs({
    options: { outdir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    tokens: true,
  }));
} catch (error) {
  fail(error.message.split('\n')[0]);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (tokens.filter((t) => t.kind === 'option' && t.name === 'outdir').length > 1) fail('--outdir: given more than once');
const outdir = values.outdir ?? 'dist/cli';
if (outdir.trim() === '') fail('--outdir: must not be empty');
const kind = statSync(outdir, { throwIfNoEntry: false });
if (kind && !kind.isDirectory()) fail(`--outdir: ${outdir} is not a folder`);

// Chunks are named by their content's hash: those of the last build would pile up beside the
// new ones, so they go first. Only the files the last build listed as its own (MANIFEST) are
// removed: a folder holding anything else keeps it.
const MANIFEST = '.tradesim-build.json';
let earlier = [];
try {
  earlier = JSON.parse(readFileSync(join(outdir, MANIFEST), 'utf8'));
} catch {
  // No earlier build here.
}
for (const name of Array.isArray(earlier) ? earlier : []) {
  if (typeof name === 'string' && /^[\w.-]+\.mjs(\.map)?$/.test(name)) rmSync(join(outdir, name), { force: true });
}

let result;
try {
  result = await build({
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
    logLevel: 'silent',
    metafile: true,
  });
} catch (error) {
  // esbuild's first error, where it is: one line (it would print each several times).
  const first = error.errors?.[0];
  const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
  fail(`cannot build into ${outdir}: ${where}${(first?.text ?? error.message).split('\n')[0]}`);
}
for (const warning of result.warnings) {
  const where = warning.location ? `${warning.location.file}:${warning.location.line}: ` : '';
  process.stderr.write(`build: warning: ${where}${warning.text}\n`);
}
const outputs = Object.keys(result.metafile.outputs).map((path) => path.split('/').pop());
writeFileSync(join(outdir, MANIFEST), `${JSON.stringify(outputs)}\n`);
