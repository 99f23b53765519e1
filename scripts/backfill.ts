/**
 * Turns a JSONL snapshot file into Prometheus TSDB blocks in the live layout: each line
 * rendered through the exporter's own catalogue and readers, stamped at its turn's
 * simulated time. See USAGE and docs/prometheus.md ("Flat-out runs: the backfill").
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  createReadStream,
  createWriteStream,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { joinNegativeValues, repeatedFlag } from '../src/cli/args.js';
import { createLineMetrics, makeDirsSync, type SnapshotLineInput } from '../src/monitoring/index.js';
import { evaluateRecordingRules, rulesFileProblem, rulesIntervalOf, type RulesOutcome } from './backfill-rules.js';
import { keepOnThroughClosedPipe } from './script-args.js';

keepOnThroughClosedPipe('backfill');

const USAGE = `Usage: npm run backfill -- FILE [options]

Renders every line of a JSONL snapshot file with the exporter's own metric families (the
names, labels and types of /metrics), each at its turn's simulated time, and builds them
into Prometheus blocks with promtool.

  --out DIR        where the blocks go (default: .prometheus-data, npm run monitoring's data)
  --step SECONDS   seconds a turn; without it, lines with a simulated time (the scenario's
                   calendar) are stamped at that time, so offset 1d is a simulated day
                   (other lines: 1 s a turn)
  --end TIME       time of the last line, ISO 8601 (default: 5 minutes ago, out of a live
                   Prometheus's lookback, so nothing of the history fires now)
  --job NAME       the job label of every series (default: tradesim, as a live scrape)
  --max-series N   series per per-entity family, as the run's --max-series (default: 50)
  --figures        also every number of a line's business as tradesim_figure{figure="<dotted
                   name>"}: the figures /metrics has no family for (per-turn revenue,
                   purchases per company, event magnitudes, ...)
  --rules FILE     the recording rules evaluated over the blocks, so the recorded series the
                   dashboards read exist on history (default: the repository's
                   alert_rules.yml, when turns are at most 30 s apart: its [1m] rates find
                   nothing further apart); alerting rules are left out; needs prometheus
  --no-rules       no recording rules: the lines' samples only
  --help           print this help`;

/** Longest line read (a line is a few KB; ten thousand firing rules make 1 MB). */
const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of a line (a TradeSim line is 5 deep). */
const MAX_DEPTH = 32;
/** The longest turn the repository's recording rules ([1m] rates) record anything at: two samples a minute. */
const MAX_DEFAULT_RULES_TURN_S = 30;
/** The times Prometheus stores and serves: from 1970 to the end of year 9999. */
const MIN_MS = 0;
const MAX_MS = Date.parse('9999-12-31T23:59:59Z');

let work: string | undefined;
const cleanUp = () => {
  // Retried: a server killed a moment ago may still be closing its files in it.
  if (work) rmSync(work, { recursive: true, force: true, maxRetries: 5 });
  work = undefined;
};
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

// Control characters (a newline in a run id) never reach the terminal raw.
// eslint-disable-next-line no-control-regex
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
const fail = (message: string): never => {
  process.stderr.write(`backfill: ${oneLine(message)}\n`);
  process.exit(2);
};

type Values = {
  out?: string;
  step?: string;
  end?: string;
  job?: string;
  'max-series'?: string;
  figures?: boolean;
  rules?: string;
  'no-rules'?: boolean;
  help?: boolean;
};
const OPTIONS = {
  out: { type: 'string' },
  step: { type: 'string' },
  end: { type: 'string' },
  job: { type: 'string' },
  'max-series': { type: 'string' },
  figures: { type: 'boolean' },
  rules: { type: 'string' },
  'no-rules': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
let parsed: { values: Values; positionals: string[] };
// `--step -1` names its problem as `--step=-1` does, not as an ambiguous flag.
const args = joinNegativeValues(process.argv.slice(2));
try {
  parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
} catch (error) {
  fail((error as Error).message.split('\n')[0] ?? 'bad flag');
}
const repeated = repeatedFlag(args, OPTIONS, true);
if (repeated) fail(repeated);
const { values, positionals } = parsed!;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail('give one JSONL file: npm run backfill -- FILE [options] (--help for them)');
const file = positionals[0]!;
const out = values.out ?? '.prometheus-data';
if (out === '') fail('--out: must not be empty');
/** Whether `path` is something other than a folder (a path that cannot be looked at is found out making it). */
const notAFolder = (path: string) => {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === false;
  } catch {
    return false;
  }
};
if (notAFolder(out)) fail(`--out: ${out} is not a folder`);
const step = values.step === undefined ? 1 : Number(values.step);
// Prometheus keeps milliseconds: a shorter step would stamp turns on one time.
if (!Number.isFinite(step) || step < 0.001 || step > 86_400)
  fail(`--step: must be seconds from 0.001 to 86400, got '${values.step}'`);
/** Prometheus's default query lookback: a history ending this long ago fires no rule now. */
const LOOKBACK_MS = 5 * 60_000;
/** A date, or a date and time, as ISO 8601 writes them (Date.parse alone takes `0` for 2000). */
const ISO_8601 = /^([+-]\d{6}|\d{4})-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const endMs =
  values.end === undefined ? Date.now() - LOOKBACK_MS : ISO_8601.test(values.end) ? Date.parse(values.end) : Number.NaN;
if (!Number.isFinite(endMs)) fail(`--end: must be a date and time (ISO 8601), got '${values.end}'`);
if (endMs < MIN_MS || endMs > MAX_MS)
  fail(`--end: must be between 1970 and 9999 (what Prometheus keeps), got '${values.end}'`);
const job = values.job ?? 'tradesim';
if (!/^[\w.:-]{1,100}$/.test(job)) fail(`--job: letters, digits, _ . : - only (at most 100), got '${values.job}'`);
const maxSeries = values['max-series'] === undefined ? 50 : Number(values['max-series']);
if (!Number.isInteger(maxSeries) || maxSeries < 2 || maxSeries > 10_000)
  fail(`--max-series: must be an integer from 2 to 10000, got '${values['max-series']}'`);
if (values.rules !== undefined && values['no-rules']) fail('--rules: cannot be used with --no-rules');
const rulesFile = values['no-rules']
  ? undefined
  : (values.rules ?? fileURLToPath(new URL('../alert_rules.yml', import.meta.url)));
for (const [what, path] of [
  ['', file],
  ['--rules: ', rulesFile],
] as const) {
  if (path === undefined) continue;
  try {
    if (!statSync(path).isFile()) fail(`${what}${path}: not a regular file`);
  } catch {
    fail(`${what}${path}: no such file`);
  }
}
// A rules file promtool refuses, or with no recording rule, is refused before any work (it
// would leave the blocks without a recording-rule series, and say so only at the end).
if (rulesFile !== undefined) {
  const problem = rulesFileProblem(rulesFile);
  if (problem !== undefined) fail(`--rules: ${rulesFile}: ${problem}`);
}

type Line = SnapshotLineInput;

/** How many of the TSDB blocks in `dir` (folders with a meta.json) cover part of [fromMs, toMs]. */
function blocksOverlapping(dir: string, fromMs: number, toMs: number): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    try {
      const meta = JSON.parse(readFileSync(join(dir, name, 'meta.json'), 'utf8')) as {
        minTime?: number;
        maxTime?: number;
      };
      if (
        typeof meta.minTime === 'number' &&
        typeof meta.maxTime === 'number' &&
        meta.minTime <= toMs &&
        meta.maxTime >= fromMs
      )
        count += 1;
    } catch {
      // Not a block (the WAL, a lock, a file).
    }
  }
  return count;
}

/** How deep `value` nests, walked without recursion (a crafted line must not blow the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (depth > MAX_DEPTH) return depth;
    if (node && typeof node === 'object') for (const inner of Object.values(node)) stack.push([inner, depth + 1]);
  }
  return deepest;
}

function parseLine(text: string, number: number): Line {
  if (text.length > MAX_LINE_BYTES) fail(`${file}:${number}: a line longer than ${MAX_LINE_BYTES} bytes`);
  let line: Line;
  try {
    line = JSON.parse(text) as Line;
  } catch {
    return fail(`${file}:${number}: not a JSON line`);
  }
  if (depthOf(line) > MAX_DEPTH) fail(`${file}:${number}: nested deeper than ${MAX_DEPTH} levels`);
  if (
    !line ||
    typeof line.turn !== 'number' ||
    typeof line.run !== 'string' ||
    typeof line.business !== 'object' ||
    line.business === null
  ) {
    fail(`${file}:${number}: not a TradeSim snapshot line (run, turn, business)`);
  }
  return line;
}

/**
 * The file's bytes, refused in one line once a line passes MAX_LINE_BYTES: readline joins a
 * line whole before parseLine could measure it, and a file of gigabytes with no newline ran
 * it out of string length (a RangeError and a stack).
 */
function boundedBytes(path: string): Transform {
  let length = 0;
  let number = 1;
  const measure = (bytes: number) => {
    length += bytes;
    if (length > MAX_LINE_BYTES) fail(`${path}:${number}: a line longer than ${MAX_LINE_BYTES} bytes`);
  };
  // pipe() does not pass the file's errors on: said here, or the lines would wait for ever.
  const source = createReadStream(path).on('error', (error) => fail(`${path}: ${error.message}`));
  return source.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        let from = 0;
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, from)) {
          measure(at - from);
          length = 0;
          number += 1;
          from = at + 1;
        }
        measure(chunk.length - from);
        done(null, chunk);
      },
    }),
  );
}

/** Whether the file's last byte is a newline (its last line was written whole). */
function endsWithNewline(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    return size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 10;
  } finally {
    closeSync(fd);
  }
}

/** Whether the torn last line was said already: the file is read in two passes. */
let tornSaid = false;

/** The file's whole lines, parsed; a torn last line (a crash mid-write) is skipped, and said once. */
async function* lines(): AsyncGenerator<Line> {
  let pending: string | undefined;
  let number = 0;
  let pendingNumber = 0;
  for await (const text of createInterface({ input: boundedBytes(file), crlfDelay: Infinity })) {
    number += 1;
    if (pending !== undefined) yield parseLine(pending, pendingNumber);
    pending = text.length > 0 ? text : undefined;
    pendingNumber = number;
  }
  if (pending !== undefined) {
    try {
      // A last line the file ends with a newline after is whole: judged as any other.
      if (!endsWithNewline(file)) JSON.parse(pending);
    } catch {
      if (!tornSaid) process.stderr.write('backfill: skipped a torn last line\n');
      tornSaid = true;
      return;
    }
    yield parseLine(pending, pendingNumber);
  }
}

/** Every number under `value` by dotted name (lists and strings left out); the depth is bounded by parseLine. */
function numbers(prefix: string, value: Readonly<Record<string, unknown>>, out: [string, number][]): void {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof inner === 'number') out.push([name, inner]);
    else if (inner && typeof inner === 'object' && !Array.isArray(inner))
      numbers(name, inner as Record<string, unknown>, out);
  }
}

/** The line's simulated time in ms, when it carries one (`business.market.simulatedTime`, seconds since the epoch). */
function simulatedMs(line: Line): number | undefined {
  const at = (line.business.market as { simulatedTime?: unknown } | undefined)?.simulatedTime;
  return typeof at === 'number' && Number.isFinite(at) ? at * 1000 : undefined;
}

// First pass: the turns the file spans, its run, and whether its lines carry a simulated time.
let first: number | undefined;
let last = 0;
let lastSimMs: number | undefined;
/** The shortest simulated time between two lines: the recording rules' evaluation interval on the calendar. */
let shortestGapMs = Infinity;
let run = '';
let count = 0;
// An explicit --step wins: the live ranges of the cookbook ([1m], [5m]) then find samples.
let calendar = values.step === undefined;
for await (const line of lines()) {
  first ??= line.turn;
  if (run && line.run !== run) fail(`${file}: holds more than one run (${run}, ${line.run}); give one file per run`);
  run = line.run;
  if (line.turn <= last && count > 0) fail(`${file}: turn ${line.turn} after turn ${last}; turns must increase`);
  const previous = last;
  last = line.turn;
  const sim = simulatedMs(line);
  if (sim === undefined) calendar = false;
  else {
    // Stamped by it, a line earlier in time than the one before would go before it in the TSDB.
    if (lastSimMs !== undefined && sim <= lastSimMs && calendar) {
      fail(
        `${file}: turn ${line.turn}'s simulated time is not after turn ${previous}'s; it must increase (or give --step)`,
      );
    }
    if (lastSimMs !== undefined && sim > lastSimMs) shortestGapMs = Math.min(shortestGapMs, sim - lastSimMs);
    lastSimMs = sim;
  }
  count += 1;
}
if (first === undefined) fail(`${file}: no lines`);
/** A turn's time: the last line at --end, the others before it by the calendar or by --step. */
const stampMs = (line: Line) =>
  calendar ? endMs - (lastSimMs! - simulatedMs(line)!) : endMs - (last - line.turn) * step * 1000;
if (!calendar && stampMs({ turn: first! } as Line) < MIN_MS)
  fail(`--end: the first turn would be before 1970 (${last - first!} turns of ${step} s before --end)`);

try {
  // Not mkdirSync's recursive: it spins for ever under a parent that takes no folder (/proc).
  makeDirsSync(out);
} catch (error) {
  fail(`--out: cannot make ${out}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
}

// Second pass: the OpenMetrics file, then the blocks.
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
work = mkdtempSync(join(tmpdir(), 'tradesim-backfill-'));
const om = join(work, 'samples.om');
const writer = createWriteStream(om);
const write = (text: string) =>
  writer.write(text) ? Promise.resolve() : new Promise<void>((resolve) => writer.once('drain', resolve));
const metrics = createLineMetrics(maxSeries);
for (const family of metrics.families) {
  // OpenMetrics names a counter's family without its _total.
  const name = family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
  await write(`# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} ${family.type}\n`);
}
if (values.figures) {
  await write('# HELP tradesim_figure A business figure of a JSONL snapshot line, by its dotted name.\n');
  await write('# TYPE tradesim_figure gauge\n');
}
let samples = 0;
let firstMs = 0;
for await (const line of lines()) {
  const atMs = stampMs(line);
  if (line.turn === first) firstMs = atMs;
  if (atMs < MIN_MS) fail(`${file}: turn ${line.turn} would be before 1970; give a later --end`);
  const at = (atMs / 1000).toFixed(3);
  const common = `job="${escapeLabel(job)}",instance="${escapeLabel(line.run)}",run="${escapeLabel(line.run)}"`;
  let chunk = '';
  for (const s of await metrics.read(line, atMs)) {
    let labels = common;
    for (const [k, v] of Object.entries(s.labels)) labels += `,${k}="${escapeLabel(v)}"`;
    chunk += `${s.name}{${labels}} ${s.value} ${at}\n`;
    samples += 1;
  }
  if (values.figures) {
    const figures: [string, number][] = [];
    numbers('', line.business, figures);
    for (const [name, value] of figures) {
      if (!Number.isFinite(value)) continue;
      chunk += `tradesim_figure{${common},figure="${escapeLabel(name)}"} ${value} ${at}\n`;
      samples += 1;
    }
  }
  await write(chunk);
}
await write('# EOF\n');
await new Promise<void>((resolve, reject) => writer.end((error?: Error | null) => (error ? reject(error) : resolve())));

const blocks = join(work, 'blocks');
const built = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, blocks], { encoding: 'utf8' });
// Stopped by a signal (Ctrl-C reaches the whole group): the stop it is, as the script's own handlers make it.
if (built.signal === 'SIGINT' || built.signal === 'SIGTERM') process.exit(130);
if (built.error || built.status !== 0) {
  const said = (built.error?.message ?? built.stderr).trim().split('\n').slice(-1)[0] ?? '';
  fail(`promtool tsdb create-blocks-from openmetrics failed: ${said.slice(0, 300) || `ended by ${built.signal}`}`);
}
const overlapping = blocksOverlapping(out, firstMs, endMs);
if (overlapping > 0) {
  process.stderr.write(
    `backfill: warning: ${overlapping} block${overlapping > 1 ? 's' : ''} in ${out} already hold samples of these times (an earlier backfill?): Prometheus keeps both\n`,
  );
}
const recorded = join(work, 'recorded');
let evaluated: RulesOutcome | undefined;
// The shortest time between two turns (the rules need at most 30 s of it).
const turnS = calendar ? (Number.isFinite(shortestGapMs) ? shortestGapMs / 1000 : 1) : step;
// The repository's rules rate over [1m] at the shortest: turns further apart than half of it
// give them one sample a window, so they would record nothing (and take minutes to do so).
const skipRules = values.rules === undefined && turnS > MAX_DEFAULT_RULES_TURN_S;
// Half a turn apart: a rule group evaluates at its own phase in the interval (a hash of its name
// and file), so a turn apart its samples could all fall just after the turns, out of a lookback
// just under a turn at every turn's time. Half a turn apart, one is always in it.
const rulesIntervalS = rulesIntervalOf(turnS / 2);
if (rulesFile !== undefined && !skipRules) {
  evaluated = await evaluateRecordingRules({
    rulesFile,
    blocks,
    work,
    outDir: recorded,
    startMs: firstMs,
    endMs,
    intervalS: rulesIntervalS,
  });
  // The samples' blocks are written whatever happened to the rules: said, and the run goes on.
  if ('error' in evaluated) process.stderr.write(`backfill: no recording-rule series: ${oneLine(evaluated.error)}\n`);
}
let partial: string | undefined;
try {
  // The recorded series only when every rule was evaluated: an import that failed part way
  // leaves the blocks of its first hours, and "no recording-rule series" is then what is kept.
  const recordedToo = evaluated !== undefined && 'rules' in evaluated;
  for (const from of recordedToo ? [blocks, recorded] : [blocks]) {
    let names: string[] = [];
    try {
      names = readdirSync(from);
    } catch {
      continue; // No recorded series (no rules, or none evaluated).
    }
    // Each block is a folder named by its ULID: copied under a name that is no ULID, then renamed,
    // so a Prometheus open on --out never loads half a block (as promtool itself writes them).
    for (const name of names) {
      partial = join(out, `${name}.tmp-for-creation`);
      cpSync(join(from, name), partial, { recursive: true });
      renameSync(partial, join(out, name));
      partial = undefined;
    }
  }
} catch (error) {
  if (partial) rmSync(partial, { recursive: true, force: true });
  fail(`--out: cannot write the blocks into ${out}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
}
cleanUp();
process.stdout.write(
  `backfill: ${count} lines of run ${oneLine(run)} (turns ${first}-${last}) from ${basename(file)}, ${samples} samples ` +
    `of ${metrics.families.length + (values.figures ? 1 : 0)} families, job="${job}" instance and run the run id; turn ${first} at ` +
    `${new Date(firstMs).toISOString()}, turn ${last} at ${new Date(endMs).toISOString()} ` +
    `(${calendar ? "the lines' simulated time" : `${step} s a turn`}); ` +
    `${evaluated && 'rules' in evaluated ? `${evaluated.rules} recording rules evaluated every ${rulesIntervalS} s; ` : ''}` +
    `${skipRules && rulesFile !== undefined ? `no recording rules (their [1m] rates find one sample at ${turnS} s a turn: give --step 15 for them); ` : ''}` +
    `blocks in ${out}\n`,
);
process.exit(0);
