import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { dirname } from 'node:path';
import { makeDirsSync } from '../monitoring/index.js';
import type { LoopCheckpoint, TurnLoop } from '../services/index.js';
import type { Simulation, SimulationState } from '../simulation/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import type { OutputFaults } from './output-faults.js';
import { readWholeFile, writeWholeFile } from './whole-file.js';

/** The first line of every checkpoint file, and the format version it names. */
export const CHECKPOINT_MAGIC = 'TRADESIM-CHECKPOINT';
export const CHECKPOINT_VERSION = 1;
/** A checkpoint this size or larger is refused (a `stress` world is tens of MB; Node reads a file of less than 2 GiB whole). */
const MAX_CHECKPOINT_BYTES = 2 * 1024 ** 3;

/** What a checkpoint holds: a run between two turns. */
export interface Checkpoint {
  /** The scenario's name or path as the run was given it, and its file's text. */
  readonly scenario: string;
  readonly scenarioText: string;
  readonly seed: number;
  readonly runId: string;
  /** The last turn played. */
  readonly turn: number;
  readonly simulation: SimulationState;
  readonly loop: LoopCheckpoint;
}

/** The readable header line: what the file is, and how to check its payload. */
interface Header {
  readonly version: number;
  readonly scenario: string;
  readonly seed: number;
  readonly runId: string;
  readonly turn: number;
  readonly payloadBytes: number;
  readonly sha256: string;
}

/**
 * Writes a checkpoint whole or not at all (writeWholeFile): a crash or a full disk leaves the
 * previous checkpoint. The file is a line naming the format,
 * a JSON header line (version, scenario, seed, turn, payload size and SHA-256) and the state,
 * serialized with V8's structured clone. Returns the bytes written.
 */
export function writeCheckpoint(path: string, checkpoint: Checkpoint): number {
  const payload = serialize(checkpoint);
  const header: Header = {
    version: CHECKPOINT_VERSION,
    scenario: checkpoint.scenario,
    seed: checkpoint.seed,
    runId: checkpoint.runId,
    turn: checkpoint.turn,
    payloadBytes: payload.length,
    sha256: createHash('sha256').update(payload).digest('hex'),
  };
  const head = Buffer.from(`${CHECKPOINT_MAGIC} ${CHECKPOINT_VERSION}\n${JSON.stringify(header)}\n`);
  makeDirsSync(dirname(path));
  return writeWholeFile(path, [head, payload]);
}

/**
 * Why a decoded payload is not a checkpoint's outline (its fields and their types; the world
 * and the loop's state are checked against the scenario when they are restored), or undefined.
 */
function payloadProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return 'the state is not an object';
  const c = value as Record<string, unknown>;
  if (typeof c.scenario !== 'string' || typeof c.scenarioText !== 'string') return 'no scenario';
  if (!Number.isSafeInteger(c.seed) || (c.seed as number) < 0) return 'no seed';
  if (typeof c.runId !== 'string') return 'no run id';
  if (!Number.isSafeInteger(c.turn) || (c.turn as number) < 0) return 'no turn';
  const sim = c.simulation as Record<string, unknown> | null | undefined;
  if (sim === null || typeof sim !== 'object') return 'no simulation';
  if (sim.world === null || typeof sim.world !== 'object') return 'no world';
  if ((sim.world as { turn?: unknown }).turn !== c.turn) return "the world's turn is not the checkpoint's";
  const rng = sim.rng;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((n) => Number.isInteger(n))) return 'no random stream';
  if (c.loop === null || typeof c.loop !== 'object') return "no loop's state";
  return undefined;
}

/** Whether a parsed header line has the fields a header has, of their types. */
function isHeader(value: unknown): value is Header {
  if (value === null || typeof value !== 'object') return false;
  const h = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(h.payloadBytes) &&
    (h.payloadBytes as number) >= 0 &&
    typeof h.sha256 === 'string' &&
    Number.isSafeInteger(h.turn) &&
    Number.isSafeInteger(h.seed) &&
    typeof h.runId === 'string' &&
    typeof h.scenario === 'string' &&
    Number.isSafeInteger(h.version)
  );
}

/** The first field a header and the state it describes (or the format line) disagree on, or undefined. */
function headerMismatch(header: Header, checkpoint: Checkpoint): string | undefined {
  if (header.version !== CHECKPOINT_VERSION) return 'version';
  for (const field of ['scenario', 'seed', 'runId', 'turn'] as const) {
    if (header[field] !== checkpoint[field]) return field;
  }
  return undefined;
}

/** The first `length` bytes of the file at `path` (fewer in a shorter file), as latin1 text. */
export function firstBytes(path: string, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(length);
    return bytes.subarray(0, readSync(fd, bytes, 0, length, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a checkpoint, refusing in one line (TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE) a file
 * that is missing, not a checkpoint, of another format version, truncated or corrupt.
 */
export function readCheckpoint(path: string): Checkpoint {
  const fail = (reason: string): never => {
    throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE(path, reason);
  };
  // Another file (a log, a sparse file of gigabytes) is refused by its first bytes, unread.
  const bytes = readWholeFile(path, MAX_CHECKPOINT_BYTES - 1, fail, {
    bytes: 64,
    problem: (first) => (first.startsWith(`${CHECKPOINT_MAGIC} `) ? undefined : 'not a TradeSim checkpoint'),
  });
  const firstEnd = bytes.indexOf(10);
  const first = bytes.subarray(0, firstEnd < 0 ? Math.min(bytes.length, 64) : firstEnd).toString('latin1');
  const m = new RegExp(`^${CHECKPOINT_MAGIC} (\\d+)$`).exec(first);
  if (!m) fail('not a TradeSim checkpoint');
  if (Number(m![1]) !== CHECKPOINT_VERSION) {
    fail(`format version ${m![1]}, this TradeSim reads version ${CHECKPOINT_VERSION}`);
  }
  const secondEnd = bytes.indexOf(10, firstEnd + 1);
  if (secondEnd < 0) fail('truncated (no header)');
  let header: Header | undefined;
  try {
    header = JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString('utf8')) as Header;
  } catch {
    fail('corrupt header');
  }
  if (!isHeader(header)) fail('corrupt header');
  const payload = bytes.subarray(secondEnd + 1);
  if (payload.length < header!.payloadBytes) fail(`truncated (${payload.length} of ${header!.payloadBytes} bytes)`);
  if (payload.length > header!.payloadBytes) fail('corrupt (bytes after the state)');
  if (createHash('sha256').update(payload).digest('hex') !== header!.sha256) fail('corrupt (checksum mismatch)');
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = deserialize(payload) as Checkpoint;
  } catch {
    fail('corrupt (cannot decode the state)');
  }
  const problem = payloadProblem(checkpoint);
  if (problem) fail(`corrupt (${problem})`);
  const mismatch = headerMismatch(header!, checkpoint!);
  if (mismatch) fail(`corrupt (header and state differ: ${mismatch})`);
  return checkpoint!;
}

/**
 * Says on stderr, before the run, that `path` holds another run's checkpoint, which this run's
 * first save will replace (a resumed run's own checkpoint, of the same run, goes unsaid). What
 * it replaces is named, so a path reused by mistake is seen while the old state can be saved.
 */
export function sayCheckpointReplaced(
  path: string | null,
  runId: string,
  stderr: { write(text: string): unknown },
): void {
  if (path === null || statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return;
  let header: unknown;
  try {
    header = JSON.parse(firstBytes(path, 4096).split('\n')[1] ?? '');
  } catch {
    return;
  }
  if (!isHeader(header) || header.runId === runId) return;
  stderr.write(
    `tradesim: --checkpoint ${path} holds another run's checkpoint (${header.scenario}, seed ${header.seed}, ` +
      `turn ${header.turn}): this run's first save replaces it\n`,
  );
}

/** The run's checkpoints. */
export interface CheckpointSchedule {
  /** Writes a checkpoint of the current turn, unless one was written at it. */
  save(): void;
  /** True when the last turn played has its checkpoint (or none is asked for). */
  upToDate(): boolean;
}

/**
 * Checkpoints every --checkpoint-every turns, between two turns (a subscriber runs after the
 * turn is published and before the next one), and at the end. A failing write keeps the
 * previous checkpoint and is a warning at most once a minute; the run goes on.
 */
export function scheduleCheckpoints(
  options: CliOptions,
  origin: Pick<Checkpoint, 'scenario' | 'scenarioText' | 'seed'>,
  run: { readonly simulation: Simulation; readonly loop: TurnLoop },
  faults: OutputFaults,
): CheckpointSchedule {
  const { simulation, loop } = run;
  const path = options.checkpoint;
  let lastCheckpointTurn = -1;
  // A file there is the previous checkpoint, kept when a write fails; a folder put there keeps nothing.
  const isFile = (at: string) => statSync(at, { throwIfNoEntry: false })?.isFile() === true;
  const save = () => {
    if (path === null || simulation.turn === lastCheckpointTurn) return;
    try {
      writeCheckpoint(path, {
        ...origin,
        runId: loop.runId,
        turn: simulation.turn,
        simulation: simulation.state(),
        loop: loop.checkpoint(),
      });
      lastCheckpointTurn = simulation.turn;
    } catch (error) {
      faults.report(
        'checkpoint',
        `checkpoint not written to ${path}${isFile(path) ? ' (the previous one is kept)' : ''}: ${(error as Error).message}`,
      );
    }
  };
  if (path !== null && options.checkpointEvery > 0) {
    loop.subscribe((snapshot) => {
      if (snapshot.turn % options.checkpointEvery === 0) save();
    });
  }
  return { save, upToDate: () => path === null || lastCheckpointTurn === simulation.turn };
}
