/**
 * Turns a JSONL snapshot file into Prometheus TSDB blocks, on a simulated clock:
 * npm run backfill -- FILE [--out DIR] [--step SECONDS] [--end ISO-TIME]
 *
 * Every number under a line's `business` becomes a sample of the gauge
 * `tradesim_figure{figure="<dotted name>", run="<run id>"}`, and the turn itself one of
 * `tradesim_figure{figure="turn"}`, stamped `end - (last turn - turn) x step` (the last turn
 * at `--end`, default now; `--step` seconds a turn, default 1): a run of any length becomes a
 * full-resolution history. The samples are written as OpenMetrics to a temporary file and
 * built into blocks by `promtool tsdb create-blocks-from openmetrics`, in DIR (default
 * .prometheus-data, where `npm run monitoring` keeps its data). Lists (the top entities) and
 * strings are left out. A bad flag or file is one line on stderr and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { exitOnHelp } from './script-args.js';

const fail = (message: string): never => {
  process.stderr.write(`backfill: ${message}\n`);
  process.exit(2);
};

let parsed: { values: { out?: string; step?: string; end?: string }; positionals: string[] };
// --help: the usage (this file's doc comment), and nothing else.
exitOnHelp(import.meta.url);
try {
  parsed = parseArgs({
    options: { out: { type: 'string' }, step: { type: 'string' }, end: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
} catch (error) {
  fail((error as Error).message.split('\n')[0] ?? 'bad flag');
}
const { values, positionals } = parsed!;
if (positionals.length !== 1)
  fail('give one JSONL file: npm run backfill -- FILE [--out DIR] [--step SECONDS] [--end TIME]');
const file = positionals[0]!;
const out = values.out ?? '.prometheus-data';
const step = values.step === undefined ? 1 : Number(values.step);
if (!Number.isFinite(step) || step <= 0 || step > 86_400)
  fail(`--step: must be seconds from 0 to 86400, got '${values.step}'`);
const endMs = values.end === undefined ? Date.now() : Date.parse(values.end);
if (!Number.isFinite(endMs)) fail(`--end: must be a date and time (ISO 8601), got '${values.end}'`);
try {
  if (!statSync(file).isFile()) fail(`${file}: not a regular file`);
} catch {
  fail(`${file}: no such file`);
}

interface Line {
  readonly run: string;
  readonly turn: number;
  readonly business: Record<string, unknown>;
}

/** The file's whole lines, parsed; a torn last line (a crash mid-write) is skipped. */
async function* lines(): AsyncGenerator<Line> {
  let pending: string | undefined;
  let number = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (pending !== undefined) {
      number += 1;
      let line: Line;
      try {
        line = JSON.parse(pending) as Line;
      } catch {
        return fail(`${file}:${number}: not a JSON line`);
      }
      if (typeof line.turn !== 'number' || typeof line.run !== 'string' || typeof line.business !== 'object') {
        fail(`${file}:${number}: not a TradeSim snapshot line (run, turn, business)`);
      }
      yield line;
    }
    pending = text.length > 0 ? text : undefined;
  }
  if (pending !== undefined) {
    try {
      yield JSON.parse(pending) as Line;
    } catch {
      process.stderr.write(`backfill: ${file}: skipped a torn last line\n`);
    }
  }
}

/** Every number under `value` by dotted name; lists and strings are left out. */
function numbers(prefix: string, value: Record<string, unknown>, out: [string, number][]): void {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof inner === 'number') out.push([name, inner]);
    else if (inner && typeof inner === 'object' && !Array.isArray(inner))
      numbers(name, inner as Record<string, unknown>, out);
  }
}

// First pass: the turns the file spans, and its run.
let first: number | undefined;
let last = 0;
let run = '';
let count = 0;
for await (const line of lines()) {
  first ??= line.turn;
  if (run && line.run !== run) fail(`${file}: holds more than one run (${run}, ${line.run}); give one file per run`);
  run = line.run;
  if (line.turn <= last && count > 0) fail(`${file}: turn ${line.turn} after turn ${last}; turns must increase`);
  last = line.turn;
  count += 1;
}
if (first === undefined) fail(`${file}: no lines`);
const seconds = (turn: number) => (endMs / 1000 - (last - turn) * step).toFixed(3);

// Second pass: the OpenMetrics file.
const work = mkdtempSync(join(tmpdir(), 'tradesim-backfill-'));
const om = join(work, 'samples.om');
const writer = createWriteStream(om);
const write = (text: string) =>
  writer.write(text) ? Promise.resolve() : new Promise<void>((resolve) => writer.once('drain', resolve));
await write('# HELP tradesim_figure A business figure of a JSONL snapshot line, by its dotted name.\n');
await write('# TYPE tradesim_figure gauge\n');
let samples = 0;
const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
for await (const line of lines()) {
  const figures: [string, number][] = [['turn', line.turn]];
  numbers('', line.business, figures);
  const at = seconds(line.turn);
  let chunk = '';
  for (const [name, value] of figures) {
    if (!Number.isFinite(value)) continue;
    chunk += `tradesim_figure{figure="${label(name)}",run="${label(line.run)}"} ${value} ${at}\n`;
    samples += 1;
  }
  await write(chunk);
}
await write('# EOF\n');
await new Promise<void>((resolve, reject) => writer.end((error?: Error | null) => (error ? reject(error) : resolve())));

const built = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, out], { encoding: 'utf8' });
rmSync(work, { recursive: true, force: true });
if (built.error || built.status !== 0) {
  fail(`promtool tsdb create-blocks-from openmetrics failed: ${(built.error?.message ?? built.stderr).trim()}`);
}
const endIso = new Date(endMs).toISOString();
process.stdout.write(
  `backfill: ${count} lines of run ${run} (turns ${first}-${last}), ${samples} samples of tradesim_figure, ` +
    `turn ${last} at ${endIso}, ${step} s a turn; blocks in ${out}\n`,
);
