import { parseArgs, type ParseArgsConfig } from 'node:util';
import { INTERVAL_MAX_MS } from '../services/index.js';
import { CliErrors } from './errors.js';
import { type FlagSpec, parseFlagSpec } from './flag-spec.js';

/**
 * The most rotated JSONL files kept: each rotation renames every kept file, so the bound keeps
 * a rotation cheap even with a tiny --jsonl-max-bytes.
 */
export const MAX_JSONL_KEEP = 100;

/** The CLI's options after validation. */
export interface CliOptions {
  readonly scenario: string;
  /** The seed given with --seed, or null to pick one (and print it). */
  readonly seed: number | null;
  /** Turns to run, or null to run until stopped. */
  readonly turns: number | null;
  /** Pause between turns, milliseconds; 0 runs flat out. */
  readonly intervalMs: number;
  readonly host: string;
  readonly port: number;
  readonly server: boolean;
  /** JSONL path, or null with --no-jsonl. */
  readonly jsonl: string | null;
  readonly jsonlEvery: number;
  readonly jsonlMaxBytes: number;
  readonly jsonlKeep: number;
  /** Append to an existing JSONL file instead of moving it aside. */
  readonly jsonlAppend: boolean;
  /** Event log path, or null with --no-events (or --no-jsonl without --events). */
  readonly events: string | null;
  /** Series per per-entity metric family. */
  readonly maxSeries: number;
  /** Seconds to keep serving the final state after --turns (0: exit at once). */
  readonly lingerSeconds: number;
  /** Seconds a resolved in-process firing stays on /metrics (and in pushes). */
  readonly alertHoldSeconds: number;
  readonly quiet: boolean;
  /** Pushgateway base URL, or null to push nothing. */
  readonly pushgateway: string | null;
  /** Seconds between pushes while the run goes on. */
  readonly pushEverySeconds: number;
  /** Delete the run's Pushgateway group at the end instead of the last push. */
  readonly pushDelete: boolean;
  /** Checkpoint file written every checkpointEvery turns and at the end, or null. */
  readonly checkpoint: string | null;
  /** Turns between checkpoints; 0 writes one at the end only. */
  readonly checkpointEvery: number;
  /** A checkpoint to go on from, its scenario and random stream unchanged, or null. */
  readonly resume: string | null;
  /** A checkpoint to branch from: a new seed (--seed) and/or another scenario, or null. */
  readonly fork: string | null;
  /** Whether --scenario was given (a fork then plays that scenario on the saved world). */
  readonly scenarioGiven: boolean;
  /** Take pause, resume, step and interval requests from any address the server is bound to. */
  readonly allowControl: boolean;
  /** A token every control request must carry (--control-token or TRADESIM_CONTROL_TOKEN), or null. */
  readonly controlToken: string | null;
  readonly help: boolean;
  /** Shocks to start (`--shock`), exporter faults to switch on (`--fault`), a record to replay. */
  readonly shocks: readonly FlagSpec[];
  readonly faults: readonly FlagSpec[];
  readonly replayShocks: string | null;
}

/** The help text `--help` prints. */
export const USAGE = `Usage: npm run simulate -- [options]

Runs the market simulation and serves its metrics.

  --scenario NAME|PATH   preset (classic, default, crisis, large, stress) or a JSON file (default: default)
  --seed N               seed, 0..${Number.MAX_SAFE_INTEGER} (default: picked at random and printed)
  --turns N              turns to run, then exit (default: until Ctrl-C)
  --interval MS          pause between turns in ms, 0 = flat out (default: 500)
  --host HOST            address to listen on (default: 127.0.0.1, or TRADESIM_HOST)
  --port N               port to listen on (default: 8000, or TRADESIM_PORT)
  --no-server            run without the HTTP server
  --jsonl PATH           JSONL snapshot file (default: logs/metrics.jsonl, or TRADESIM_JSONL)
  --no-jsonl             write no JSONL (nor events without --events)
  --jsonl-every N        write one line every N turns (default: 1)
  --jsonl-max-bytes N    rotate the file past N bytes, 0 = never (default: 104857600)
  --jsonl-keep N         rotated files kept, metrics.jsonl.1 .. .N (default: 5)
  --jsonl-append         append to an existing file (default: move it aside to .1;
                         --resume appends unless --no-jsonl-append)
  --events PATH          event log: a line per event, shock, exit and entry
                         (default: A.events.jsonl beside A.jsonl, events.jsonl
                         beside a metrics.jsonl)
  --no-events            write no event log
  --max-series N         series per per-company / per-product metric family, 2+ (default: 50)
  --linger SECONDS       after --turns, keep serving the final state this long (default: 0)
  --alert-hold SECONDS   keep a resolved alert firing on /metrics this long, so Prometheus
                         sees even a one-turn firing; make it at least twice the scrape
                         interval (default: 15; pushed: 10 + --push-every)
  --quiet                no status line, warnings only
  --pushgateway URL      push the metrics to a Pushgateway (group job/tradesim_batch/run/ID)
                         every --push-every seconds and at the end of the run
  --push-every SECONDS   seconds between pushes (default: 10)
  --push-delete          at the end, delete the run's group instead of the last push
  --checkpoint PATH      write the whole run state to PATH at the end of the run (and on a
                         stop), atomically; with --checkpoint-every N, every N turns too
  --checkpoint-every N   turns between checkpoints (default: 0, at the end only)
  --resume PATH          go on from a checkpoint: its scenario, seed and random stream;
                         turn numbers go on from its turn (--turns N: N more turns)
  --fork PATH            branch from a checkpoint: --seed S starts a new random stream,
                         --scenario plays another scenario on the same world (the same
                         entity counts; shocks already started kept); with --scenario alone
                         the saved stream goes on, so only the change differs
  --allow-control        take the page's controls (pause, resume, step, interval) on a
                         server bound beyond loopback (default: loopback only)
  --control-token TOKEN  controls need this token too (or TRADESIM_CONTROL_TOKEN)
  --shock SPEC           start a market shock: 'type=credit_freeze,at=+50,turns=100' (repeatable)
  --fault SPEC           switch an exporter fault on: 'type=latency,ms=600' (repeatable)
  --replay-shocks PATH   replay the live shocks of an event log or checkpoint
  --help                 print this help

Endpoints: / (the live page in a browser), /metrics (Prometheus; OpenMetrics on
request), /health, /api (every endpoint), /api/stats, /api/alerts,
/api/history?figure=budget.total&window=50`;

/**
 * The event log's default path: `events.jsonl` beside a `metrics.jsonl`, else the snapshot
 * file's name with `.events` before its extension (two runs never share one); none without JSONL.
 */
export function eventsBeside(jsonl: string | null): string | null {
  if (jsonl === null) return null;
  const slash = jsonl.lastIndexOf('/') + 1;
  const base = jsonl.slice(slash);
  if (base === 'metrics.jsonl') return `${jsonl.slice(0, slash)}events.jsonl`;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? `${jsonl.slice(0, slash + dot)}.events${base.slice(dot)}` : `${jsonl}.events`;
}

/** A flag's integer within bounds, or null when not given; TRADESIM_ERR_CLI_FLAG_INVALID naming it otherwise. */
export function integer(name: string, raw: string | undefined, min: number, max: number): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `${name}: must be an integer from ${min} to ${max}, got '${raw}'`,
    );
  }
  return value;
}

/** An http(s) URL with a host and nothing after the path, or null when not given. */
function httpUrl(name: string, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`${name}: must be an http:// or https:// URL, got '${raw}'`);
  }
  return raw;
}

/** The flags parseArgs takes: values stay strings, checked below (the sweep's OPTIONS is the same kind of table). */
const FLAG_TYPES = {
  scenario: { type: 'string' },
  seed: { type: 'string' },
  turns: { type: 'string' },
  interval: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'no-server': { type: 'boolean' },
  jsonl: { type: 'string' },
  'no-jsonl': { type: 'boolean' },
  'jsonl-every': { type: 'string' },
  'jsonl-max-bytes': { type: 'string' },
  'jsonl-keep': { type: 'string' },
  'jsonl-append': { type: 'boolean' },
  'no-jsonl-append': { type: 'boolean' },
  events: { type: 'string' },
  'no-events': { type: 'boolean' },
  'max-series': { type: 'string' },
  linger: { type: 'string' },
  'alert-hold': { type: 'string' },
  quiet: { type: 'boolean' },
  'allow-control': { type: 'boolean' },
  'control-token': { type: 'string' },
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'string' },
  fork: { type: 'string' },
  pushgateway: { type: 'string' },
  'push-every': { type: 'string' },
  'push-delete': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  shock: { type: 'string', multiple: true },
  fault: { type: 'string', multiple: true },
  'replay-shocks': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/**
 * `--seed -1` would read -1 as a flag: a value that looks like a negative number is joined to
 * its flag, so the flag's own check names the problem.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (/^--[a-z-]+$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else args.push(arg);
  }
  return args;
}

/**
 * A value that travels in an HTTP header (the control token's `X-TradeSim-Token`): visible
 * ASCII only, or no client could send it. Not echoed: it is a secret.
 */
function headerSafe(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[\x21-\x7e]+$/.test(value)) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `${name}: must be printable ASCII with no spaces (it is sent in a header)`,
    );
  }
  if (value !== undefined && value.length > MAX_TOKEN_LENGTH) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `${name}: at most ${MAX_TOKEN_LENGTH} characters (it is sent in a header), got ${value.length}`,
    );
  }
  return value;
}

/** The longest control token: far under the 16 KiB of headers a request may carry. */
const MAX_TOKEN_LENGTH = 1024;

/** Refuses flags that cannot go together, or one that needs another, naming the first. */
function refuseConflicts(values: Readonly<Record<string, unknown>>): void {
  const refusals: readonly (readonly [boolean, string])[] = [
    [values.jsonl !== undefined && values['no-jsonl'] === true, '--jsonl: cannot be used with --no-jsonl'],
    [values.events !== undefined && values['no-events'] === true, '--events: cannot be used with --no-events'],
    [
      values['jsonl-append'] === true && values['no-jsonl-append'] === true,
      '--jsonl-append: cannot be used with --no-jsonl-append',
    ],
    [values.resume !== undefined && values.fork !== undefined, '--resume: cannot be used with --fork'],
    [
      values.resume !== undefined && values.seed !== undefined,
      '--seed: a resumed run keeps its seed; branch with --fork PATH --seed S',
    ],
    [
      values.resume !== undefined && values.scenario !== undefined,
      '--scenario: a resumed run keeps its scenario; branch with --fork PATH --seed S --scenario FILE',
    ],
    [
      values.fork !== undefined && values.seed === undefined && values.scenario === undefined,
      '--fork: needs --seed S (a new random stream) or --scenario (another scenario on the same stream), or both',
    ],
    [
      values['checkpoint-every'] !== undefined && values.checkpoint === undefined,
      '--checkpoint-every: needs --checkpoint PATH',
    ],
    [values['push-every'] !== undefined && values.pushgateway === undefined, '--push-every: needs --pushgateway'],
    [values['push-delete'] !== undefined && values.pushgateway === undefined, '--push-delete: needs --pushgateway'],
    [
      values['replay-shocks'] !== undefined && values.shock !== undefined,
      '--shock: cannot be used with --replay-shocks (the replay has its own)',
    ],
  ];
  const refused = refusals.find(([applies]) => applies) ?? idleFlag(values);
  if (refused) throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(refused[1]);
}

/**
 * The --fault specs, refused when one acts on HTTP requests (latency, errors) and there is no
 * server, or stalls a run with no server nor push (nothing could see it, or end it).
 */
function serverFaultsOrFail(
  faults: readonly FlagSpec[],
  values: { readonly 'no-server'?: boolean; readonly pushgateway?: string },
): readonly FlagSpec[] {
  const [noServer, pushed] = [values['no-server'] === true, values.pushgateway !== undefined];
  const idle = noServer ? faults.find((f) => f.type === 'latency' || f.type === 'errors') : undefined;
  if (idle) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `--fault type=${String(idle.type)}: does nothing with --no-server (it delays or fails HTTP requests)`,
    );
  }
  // Switched off only through the server: with none and no push, a stall would hang the run unseen.
  if (noServer && !pushed && faults.some((f) => f.type === 'stall')) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      '--fault type=stall: with --no-server and no --pushgateway, nothing would see the stall, and only a signal end it',
    );
  }
  return faults;
}

/** Flags that act only on the server, or on the JSONL file: given with it switched off, they would do nothing. */
const SERVER_FLAGS = ['port', 'host', 'linger', 'allow-control', 'control-token'] as const;
const JSONL_FLAGS = ['jsonl-every', 'jsonl-max-bytes', 'jsonl-keep', 'jsonl-append', 'no-jsonl-append'] as const;

/** A flag given with the output it acts on switched off (`--port` with `--no-server`), as a refusal. */
function idleFlag(values: Readonly<Record<string, unknown>>): readonly [boolean, string] | undefined {
  const off = (flags: readonly string[], switch_: string) => {
    const idle = values[switch_] === true ? flags.find((f) => values[f] !== undefined) : undefined;
    return idle === undefined ? undefined : ([true, `--${idle}: does nothing with --${switch_}`] as const);
  };
  return off(SERVER_FLAGS, 'no-server') ?? off(JSONL_FLAGS, 'no-jsonl');
}

/**
 * The flag of `args` given more than once that takes one value (a repeat would silently win
 * over the first), as a problem to say, or undefined. `args` must parse with `options`.
 */
export function repeatedFlag(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = false,
): string | undefined {
  const { tokens } = parseArgs({ args: [...args], options, strict: true, allowPositionals, tokens: true });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) return `--${token.name}: given more than once; give it once`;
    seen.add(token.name);
  }
  return undefined;
}

/** The flags' values as given, each known and given once (--help aside); throws TRADESIM_ERR_CLI_FLAG_INVALID. */
function readFlags(argv: readonly string[]): Record<string, string | boolean | string[] | undefined> {
  let values: Record<string, string | boolean | string[] | undefined>;
  const args = joinNegativeValues(argv);
  try {
    ({ values } = parseArgs({ args, strict: true, allowPositionals: false, options: FLAG_TYPES }));
  } catch (error) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID((error as Error).message.split('\n')[0] ?? 'bad flag');
  }
  // --help is answered whatever else is given, as the scripts answer it.
  const repeated = values.help === true ? undefined : repeatedFlag(args, FLAG_TYPES);
  if (repeated) throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(repeated);
  return values;
}

/**
 * Parses and validates the command line and the TRADESIM_HOST / TRADESIM_PORT / TRADESIM_JSONL variables
 * (flags win). Throws TRADESIM_ERR_CLI_FLAG_INVALID naming the flag or variable.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): CliOptions {
  const values = readFlags(argv);
  const str = (key: string) => values[key] as string | undefined;
  const nonEmpty = (name: string, value: string | undefined) => {
    if (value !== undefined && value.trim() === '') {
      throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`${name}: must not be empty`);
    }
    return value;
  };
  if (values.help !== true) refuseConflicts(values);
  const specs = (flag: string, raw: unknown) =>
    ((raw as string[] | undefined) ?? []).map((r) => parseFlagSpec(flag, r));
  const jsonl = values['no-jsonl']
    ? null
    : (nonEmpty('--jsonl', str('jsonl')) ?? nonEmpty('TRADESIM_JSONL', env.TRADESIM_JSONL) ?? 'logs/metrics.jsonl');
  const events = values['no-events'] ? null : (nonEmpty('--events', str('events')) ?? eventsBeside(jsonl));
  // The server's variables are read only where they are used: with no server, or where a flag
  // takes their place, they are not looked at (a container's TRADESIM_HOST with --no-server).
  const server = values['no-server'] !== true;
  const serverVariable = (name: 'TRADESIM_HOST' | 'TRADESIM_PORT' | 'TRADESIM_CONTROL_TOKEN') =>
    server ? env[name] : undefined;
  const port =
    integer('--port', str('port'), 0, 65_535) ??
    integer('TRADESIM_PORT', nonEmpty('TRADESIM_PORT', serverVariable('TRADESIM_PORT')), 0, 65_535) ??
    8000;
  const pushgateway = httpUrl('--pushgateway', nonEmpty('--pushgateway', str('pushgateway')));
  const pushEverySeconds = integer('--push-every', str('push-every'), 1, 86_400) ?? 10;
  return Object.freeze({
    scenario: nonEmpty('--scenario', str('scenario')) ?? 'default',
    seed: integer('--seed', str('seed'), 0, Number.MAX_SAFE_INTEGER),
    turns: integer('--turns', str('turns'), 1, Number.MAX_SAFE_INTEGER),
    intervalMs: integer('--interval', str('interval'), 0, INTERVAL_MAX_MS) ?? 500,
    host: nonEmpty('--host', str('host')) ?? nonEmpty('TRADESIM_HOST', serverVariable('TRADESIM_HOST')) ?? '127.0.0.1',
    port,
    server,
    jsonl,
    jsonlEvery: integer('--jsonl-every', str('jsonl-every'), 1, 1_000_000) ?? 1,
    jsonlMaxBytes: integer('--jsonl-max-bytes', str('jsonl-max-bytes'), 0, Number.MAX_SAFE_INTEGER) ?? 104_857_600,
    jsonlKeep: integer('--jsonl-keep', str('jsonl-keep'), 0, MAX_JSONL_KEEP) ?? 5,
    // A resumed run goes on in its own files: one run, one file.
    jsonlAppend: values['jsonl-append'] === true || (values.resume !== undefined && values['no-jsonl-append'] !== true),
    events,
    maxSeries: integer('--max-series', str('max-series'), 2, 10_000) ?? 50,
    lingerSeconds: integer('--linger', str('linger'), 0, 86_400) ?? 0,
    alertHoldSeconds:
      integer('--alert-hold', str('alert-hold'), 1, 86_400) ?? defaultAlertHold(pushEverySeconds, pushgateway),
    quiet: values.quiet === true,
    pushgateway,
    pushEverySeconds,
    pushDelete: values['push-delete'] === true,
    allowControl: values['allow-control'] === true,
    controlToken:
      headerSafe('--control-token', nonEmpty('--control-token', str('control-token'))) ??
      headerSafe(
        'TRADESIM_CONTROL_TOKEN',
        nonEmpty('TRADESIM_CONTROL_TOKEN', serverVariable('TRADESIM_CONTROL_TOKEN')),
      ) ??
      null,
    checkpoint: nonEmpty('--checkpoint', str('checkpoint')) ?? null,
    checkpointEvery: integer('--checkpoint-every', str('checkpoint-every'), 0, Number.MAX_SAFE_INTEGER) ?? 0,
    resume: nonEmpty('--resume', str('resume')) ?? null,
    fork: nonEmpty('--fork', str('fork')) ?? null,
    scenarioGiven: values.scenario !== undefined,
    help: values.help === true,
    shocks: specs('--shock', values.shock),
    faults: serverFaultsOrFail(specs('--fault', values.fault), values),
    replayShocks: nonEmpty('--replay-shocks', str('replay-shocks')) ?? null,
  });
}

/** The scrape interval of the repository's stack (prometheus.yml), in seconds. */
const STACK_SCRAPE_SECONDS = 5;

/**
 * --alert-hold when not given: 15 s for a scraped run, twice a scrape and a margin; a pushed
 * run's firing reaches the Pushgateway only at the next push, so twice a scrape plus one push
 * interval (20 s at the default --push-every of 10).
 */
function defaultAlertHold(pushEverySeconds: number, pushgateway: string | null): number {
  return pushgateway === null ? 15 : Math.min(86_400, 2 * STACK_SCRAPE_SECONDS + pushEverySeconds);
}
