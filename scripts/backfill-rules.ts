/**
 * The recording rules of a backfill: `promtool tsdb create-blocks-from rules` evaluates the
 * recording rules of a rule file over freshly built blocks (served by a Prometheus of its own
 * on a loopback port, for the time of the evaluation), so the recorded series the dashboards
 * read (`job:tradesim_turns:rate1m`, ...) exist on history as they do live.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** How long the evaluating Prometheus may take to open the blocks and answer. */
const READY_MS = 60_000;

interface RuleFile {
  groups?: { name: string; interval?: string; rules?: { record?: string }[] }[];
}

/**
 * The recording rules of `file` alone, as rule-file text: the rule importer would write an
 * alerting rule's result as a series named after the alert, a sample no run ever had.
 */
export function recordingRulesOnly(file: string): { text: string; count: number } {
  const parsed = parse(readFileSync(file, 'utf8')) as RuleFile | null;
  const groups = (parsed?.groups ?? [])
    .map((g) => ({ ...g, rules: (g.rules ?? []).filter((r) => typeof r.record === 'string') }))
    .filter((g) => g.rules.length > 0);
  return { text: stringify({ groups }), count: groups.reduce((n, g) => n + g.rules.length, 0) };
}

/**
 * Why a rules file cannot be evaluated, or undefined: promtool refuses it (its first error), or
 * it holds no recording rule (alerting rules are left out: nothing would be recorded).
 */
export function rulesFileProblem(file: string): string | undefined {
  const checked = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  // No promtool at all: the blocks' own step says so (there are no blocks without it).
  if ((checked.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
  if (checked.error) return `promtool cannot check it: ${checked.error.message}`;
  if (checked.status !== 0) {
    const said = `${checked.stderr}\n${checked.stdout}`
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('Checking'));
    return `not a rules file promtool takes: ${(said[0] ?? `exit ${checked.status}`).slice(0, 300)}`;
  }
  if (recordingRulesOnly(file).count === 0)
    return 'no recording rule in it (alerting rules are left out): give --no-rules';
  return undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/**
 * The shortest interval the rules are evaluated at: promtool asks one range query per rule and
 * 2-hour block, and Prometheus answers at most 11,000 points (7,200 s / 11,000, rounded up).
 */
const MIN_RULES_INTERVAL_S = 0.66;

/** The interval evaluateRecordingRules evaluates at when asked for `intervalS`. */
export const rulesIntervalOf = (intervalS: number): number => Math.max(intervalS, MIN_RULES_INTERVAL_S);

/** What one evaluation did: the number of recording rules, or why it could not be done. */
export type RulesOutcome = { readonly rules: number } | { readonly error: string };

/**
 * Evaluates the recording rules of `rulesFile` every `intervalS` seconds (rulesIntervalOf) from `startMs` to
 * `endMs` over the blocks in `blocks` (left as they are: Prometheus opens a copy), writing
 * the recorded series as blocks into `outDir`. `work` is a folder of its own for the copy,
 * the configuration and the rules. Never throws: a failure comes back as its one-line reason,
 * and so does an evaluation that recorded nothing (rules that find no data, said rather than
 * counted as evaluated). `port` picks the evaluating Prometheus's port (a free one by default).
 */
export async function evaluateRecordingRules(options: {
  readonly rulesFile: string;
  readonly blocks: string;
  readonly work: string;
  readonly outDir: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalS: number;
  readonly port?: () => Promise<number>;
}): Promise<RulesOutcome> {
  const { rulesFile, blocks, work, outDir, startMs, endMs, intervalS, port = freePort } = options;
  let only: { text: string; count: number };
  try {
    only = recordingRulesOnly(rulesFile);
  } catch (error) {
    return { error: `cannot read the rules in ${rulesFile}: ${(error as Error).message.split('\n')[0]}` };
  }
  if (only.count === 0) return { rules: 0 };
  const rules = join(work, 'recording-rules.yml');
  const config = join(work, 'prometheus.yml');
  const data = join(work, 'evaluated');
  try {
    writeFileSync(rules, only.text);
    writeFileSync(config, 'global: {}\n');
    cpSync(blocks, data, { recursive: true });
  } catch (error) {
    return { error: `cannot prepare the evaluation in ${work}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  let refused = '';
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    let portNumber: number;
    try {
      portNumber = await port();
    } catch (error) {
      return { error: `no free port for prometheus: ${(error as Error).message.split('\n')[0]}` };
    }
    const server = await startEvaluator(config, data, portNumber);
    if ('taken' in server) {
      // Another process took the port between asking and binding: another one is tried.
      refused = server.taken;
      continue;
    }
    if ('error' in server) return server;
    try {
      const before = blocksIn(outDir);
      const every = rulesIntervalOf(intervalS);
      const imported = await importRules({ url: server.url, rules, outDir, startMs, endMs, intervalS: every });
      if (imported !== undefined) return { error: imported };
      if (server.gone() !== undefined) return { error: `prometheus ${server.gone()} during the evaluation` };
      // An import that wrote nothing is said, never counted as evaluated.
      if (blocksIn(outDir) === before)
        return {
          error: `${only.count === 1 ? 'the recording rule' : `the ${only.count} recording rules`} found no data to record`,
        };
      return { rules: only.count };
    } finally {
      await server.stop();
    }
  }
  return { error: `prometheus could not be started on a port of its own: ${refused}` };
}

/** Ports tried before giving up: each may be taken by another process after it was found free. */
const PORT_ATTEMPTS = 3;

interface Evaluator {
  readonly url: string;
  /** Why the server exited, once it has. */
  readonly gone: () => string | undefined;
  readonly stop: () => Promise<void>;
}

/** How long one request to the evaluating Prometheus may take (a listener that never answers). */
const REQUEST_MS = 5_000;
/** How long a stopped Prometheus may take to exit before it is killed. */
const STOP_MS = 5_000;

/**
 * A Prometheus serving `data` on `port`, once it is ready; `taken` when another process holds
 * the port (its bind failed, or another server answers there), else why it is not.
 */
async function startEvaluator(
  config: string,
  data: string,
  port: number,
): Promise<Evaluator | { taken: string } | { error: string }> {
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const server = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The blocks may be years old: keep them whatever their age.
      '--storage.tsdb.retention.time=100y',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  server.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4096)));
  const exited = new Promise<string>((resolve) => {
    server.on('error', (error) => resolve(error.message));
    server.on('exit', (code, signal) => resolve(`exited (${signal ?? code})`));
  });
  let gone: string | undefined;
  // A request waiting on the port ends when the server exits: a listener of another process
  // that holds the port and never answers (the server could not bind) is not waited on for
  // REQUEST_MS.
  const exit = new AbortController();
  void exited.then((why) => {
    gone = why;
    exit.abort();
  });
  // A backfill stopped meanwhile (Ctrl-C, SIGTERM: process.exit) leaves no Prometheus behind.
  const kill = () => server.kill('SIGKILL');
  // First of the exit listeners: before the backfill removes the folder this server writes in.
  process.prependOnceListener('exit', kill);
  const stop = async () => {
    server.kill('SIGTERM');
    const late = setTimeout(kill, STOP_MS);
    await exited;
    clearTimeout(late);
    process.off('exit', kill);
  };
  const deadline = Date.now() + READY_MS;
  for (;;) {
    if (gone !== undefined) {
      await stop();
      // What it said is all in the log once its stderr has closed.
      if (!server.stderr.closed) await new Promise((resolve) => server.stderr.once('close', resolve));
      if (log.includes('address already in use')) return { taken: `${url} is in use` };
      return { error: `prometheus ${gone}: ${lastLine(log)}` };
    }
    if (Date.now() > deadline) {
      await stop();
      return { error: `prometheus not ready within ${READY_MS / 1000} s` };
    }
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(REQUEST_MS), exit.signal]);
      if ((await fetch(`${url}/-/ready`, { signal })).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (await servesFolder(url, data)) return { url, gone: () => gone, stop };
  await stop();
  return { taken: `another server answered on ${url}` };
}

/**
 * Whether the Prometheus at `url` keeps its blocks in `data` (its storage.tsdb.path flag, as
 * given): asked a few times, so one slow answer on a loaded machine is not taken for another's.
 */
async function servesFolder(url: string, data: string): Promise<boolean> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const answer = await fetch(`${url}/api/v1/status/flags`, { signal: AbortSignal.timeout(REQUEST_MS) });
      const body = (await answer.json()) as { data?: Record<string, string> };
      return body.data?.['storage.tsdb.path'] === data;
    } catch {
      // No answer or not JSON: asked again.
    }
  }
  return false;
}

/** Runs promtool's rule importer against `url`: undefined when it succeeded, else why not. */
async function importRules(range: {
  readonly url: string;
  readonly rules: string;
  readonly outDir: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalS: number;
}): Promise<string | undefined> {
  const { url, rules, outDir, startMs, endMs, intervalS } = range;
  const importer = spawn(
    'promtool',
    [
      ...['tsdb', 'create-blocks-from', 'rules', '--quiet', `--url=${url}`, `--output-dir=${outDir}`],
      ...[`--start=${(startMs / 1000).toFixed(3)}`, `--end=${(endMs / 1000).toFixed(3)}`],
      ...[`--eval-interval=${Math.max(1, Math.round(intervalS * 1000))}ms`, rules],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Async, not spawnSync: a signal to the backfill is handled (and the importer stopped) at once.
  const stopImporter = () => importer.kill('SIGKILL');
  process.prependOnceListener('exit', stopImporter);
  let said = '';
  importer.stderr.on('data', (d: Buffer) => (said = (said + d.toString()).slice(-4096)));
  const status = await new Promise<string | number>((resolve) => {
    importer.on('error', (error) => resolve(error.message));
    importer.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  process.off('exit', stopImporter);
  if (status === 0) return undefined;
  // Its last line says only "error importing rules": the cause is on the importer's error lines.
  const cause = said.split('\n').findLast((line) => line.startsWith('rule importer error:')) ?? lastLine(said);
  return `promtool tsdb create-blocks-from rules failed (${status}): ${cause.slice(0, 300)}`;
}

/** The blocks (folders named by a ULID) in `dir`; 0 when it does not exist. */
function blocksIn(dir: string): number {
  try {
    return readdirSync(dir).filter((name) => /^[0-9A-Z]{26}$/.test(name)).length;
  } catch {
    return 0;
  }
}

const lastLine = (text: string) => (text.trim().split('\n').slice(-1)[0] ?? '').slice(0, 300);
