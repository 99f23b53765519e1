/**
 * Starts a local Prometheus with this repository's prometheus.yml and alert rules:
 * npm run monitoring [-- --target HOST:PORT] [--listen HOST:PORT] [--tsdb DIR]. --target is
 * the exporter to scrape (default 127.0.0.1:8000, as in prometheus.yml), --listen
 * Prometheus's own address (default 127.0.0.1:9090, or PROMETHEUS_LISTEN), --tsdb its data
 * folder (default .prometheus-data, where `npm run backfill` writes its blocks). A SIGINT or
 * SIGTERM stops it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitOnHelp } from './script-args.js';

const DEFAULT_TARGET = '127.0.0.1:8000';
const DEFAULT_LISTEN = '127.0.0.1:9090';
const fail = (message: string): never => {
  process.stderr.write(`monitoring: ${message}\n`);
  process.exit(2);
};

let values: { target?: string; listen?: string; tsdb?: string };
// --help: the usage (this file's doc comment), and nothing else.
exitOnHelp(import.meta.url);
try {
  ({ values } = parseArgs({
    options: { target: { type: 'string' }, listen: { type: 'string' }, tsdb: { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message.split('\n')[0] ?? 'bad flag');
}
const hostPort = /^[\w.-]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i;
const target = values!.target ?? DEFAULT_TARGET;
const listen = values!.listen ?? process.env.PROMETHEUS_LISTEN ?? DEFAULT_LISTEN;
if (!hostPort.test(target)) fail(`--target: must be HOST:PORT, got '${target}'`);
if (!hostPort.test(listen)) fail(`--listen: must be HOST:PORT, got '${listen}'`);

const found = spawnSync('prometheus', ['--version'], { stdio: 'ignore' });
if (found.error || found.status !== 0) {
  process.stderr.write(
    'monitoring: no prometheus binary on PATH.\n' +
      '  Debian/Ubuntu: sudo apt-get install prometheus   (also brings promtool)\n' +
      '  elsewhere: https://prometheus.io/download/ and put prometheus on PATH\n',
  );
  process.exit(1);
}

// Another target or address: the repository's configuration with them (Prometheus scrapes
// itself at its own address), its rule files by full path.
let config = 'prometheus.yml';
if (target !== DEFAULT_TARGET || listen !== DEFAULT_LISTEN) {
  const text = readFileSync('prometheus.yml', 'utf8')
    .replace(`'${DEFAULT_TARGET}'`, `'${target}'`)
    .replace(`'${DEFAULT_LISTEN}'`, `'${listen}'`)
    .replace(/^(\s*-\s*)(\S+\.yml)$/gm, (_line, lead: string, file: string) => `${lead}${resolve(file)}`);
  config = join(mkdtempSync(join(tmpdir(), 'tradesim-monitoring-')), 'prometheus.yml');
  writeFileSync(config, text);
}

const tsdb = values!.tsdb ?? '.prometheus-data';
if (tsdb.trim() === '') fail('--tsdb: must not be empty');
const args = [`--config.file=${config}`, `--storage.tsdb.path=${tsdb}`, `--web.listen-address=${listen}`];
process.stdout.write(`monitoring: prometheus ${args.join(' ')} (scraping ${target})\n`);
const child = spawn('prometheus', args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
