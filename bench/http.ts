/**
 * HTTP and pipeline benchmark: npm run bench:http [-- --quick]
 *
 * 1. The whole pipeline as the CLI runs it (services, exporter, JSONL), flat out, no HTTP
 *    load: default for 50,000 turns (turns/s, RSS at turn 1,000 and 50,000), default and
 *    large with and without JSONL (JSONL's share of turn time).
 * 2. HTTP while large runs flat out: /health and /metrics, and a bare Fastify hello route in
 *    the same process as the reference, each loaded by autocannon from a child process with
 *    10 connections; /metrics again with 1 connection, as a Prometheus server scrapes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { parseCliArgs } from '../src/cli/args.js';
import { startRun } from '../src/cli/run.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 10;
const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-'));
const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

async function pipeline(scenario: string, turns: number, jsonl: boolean) {
  const args = ['--scenario', scenario, '--seed', '1', '--turns', String(turns), '--interval', '0', '--no-server', '--quiet'];
  const options = parseCliArgs([...args, ...(jsonl ? ['--jsonl', join(dir, `${scenario}.jsonl`)] : ['--no-jsonl'])]);
  const run = await startRun(options, silent);
  const marks = new Map<number, { at: bigint; rss: number }>();
  const watch = new Set([1_000, Math.floor(turns / 10), turns]);
  run.service.subscribe((s) => {
    if (watch.has(s.turn)) marks.set(s.turn, { at: process.hrtime.bigint(), rss: process.memoryUsage().rss });
  });
  await run.finished;
  const from = marks.get(Math.floor(turns / 10))!;
  const to = marks.get(turns)!;
  return {
    turnsPerSecond: (turns - Math.floor(turns / 10)) / (Number(to.at - from.at) / 1e9),
    rss1k: marks.get(1_000)?.rss ?? 0,
    rssEnd: to.rss,
  };
}

/** Loads a URL from a child process (async: this process must keep serving meanwhile). */
async function autocannon(url: string, connections = 10): Promise<{ rps: number; p99: number; errors: number }> {
  const args = [autocannonBin, '-j', '-c', String(connections), '-d', String(seconds), url];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    encoding: 'utf8',
  });
  const r = JSON.parse(stdout);
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Share of a turn's time that JSONL adds: 1 - (time per turn without) / (time per turn with). */
const jsonlShare = (withRate: number, withoutRate: number) => `${((1 - withRate / withoutRate) * 100).toFixed(1)} %`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
console.log(`http and pipeline benchmark on node ${process.version}${quick ? ' (quick)' : ''}`);

const longRun = quick ? 10_000 : 50_000;
const withJsonl = await pipeline('default', longRun, true);
const withoutJsonl = await pipeline('default', longRun, false);
console.log(
  `pipeline default: ${withJsonl.turnsPerSecond.toFixed(0)} turns/s with JSONL, ${withoutJsonl.turnsPerSecond.toFixed(0)} without; ` +
    `JSONL ${jsonlShare(withJsonl.turnsPerSecond, withoutJsonl.turnsPerSecond)} of turn time; ` +
    `RSS ${mib(withJsonl.rss1k)} at turn 1,000 -> ${mib(withJsonl.rssEnd)} at turn ${longRun.toLocaleString('en')}`,
);
const largeTurns = quick ? 300 : 2_000;
const largeWith = await pipeline('large', largeTurns, true);
const largeWithout = await pipeline('large', largeTurns, false);
console.log(
  `pipeline large: ${largeWith.turnsPerSecond.toFixed(0)} turns/s with JSONL, ${largeWithout.turnsPerSecond.toFixed(0)} without; ` +
    `JSONL ${jsonlShare(largeWith.turnsPerSecond, largeWithout.turnsPerSecond)} of turn time`,
);

const bare = Fastify();
bare.get('/hello', async () => ({ hello: 'world' }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
const run = await startRun(
  parseCliArgs(['--scenario', 'large', '--seed', '1', '--interval', '0', '--port', '0', '--quiet', '--jsonl', join(dir, 'http.jsonl')]),
  silent,
);
const results = {
  'bare Fastify /hello': await autocannon(`${bareUrl}/hello`),
  '/health': await autocannon(`${run.url}/health`),
  '/metrics': await autocannon(`${run.url}/metrics`),
  // One connection, as a Prometheus server scrapes a target: one scrape at a time.
  '/metrics, 1 connection': await autocannon(`${run.url}/metrics`, 1),
};
const turns = run.service.latest()?.turn ?? 0;
await run.stop();
await bare.close();
console.log(`http while large runs flat out (${turns} turns played), autocannon -c 10 (unless said) -d ${seconds}:`);
console.log('route                      req/s     p99 ms  errors');
for (const [route, r] of Object.entries(results)) {
  console.log(`${route.padEnd(25)} ${r.rps.toFixed(0).padStart(7)}  ${String(r.p99).padStart(8)}  ${r.errors}`);
}
console.log(`/health vs bare: ${((results['/health'].rps / results['bare Fastify /hello'].rps) * 100).toFixed(0)} % of the requests/s`);
