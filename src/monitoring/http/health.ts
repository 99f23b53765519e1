import type { LoopState, TurnSnapshot } from '../../services/index.js';
import type { JsonlStats } from '../jsonl/jsonl-writer.js';

/** What /health says. */
export type HealthStatus = 'ok' | 'starting' | 'paused' | 'finished' | 'stopping' | 'stalled' | 'failing';

/** The /health body. */
export interface HealthBody {
  readonly status: HealthStatus;
  /** Why the status is not ok, when it is not. */
  readonly reason: string | null;
  readonly turn: number;
  readonly runId: string;
  readonly seed: number;
  readonly uptimeSeconds: number;
  /** Seconds since the last turn was published; null before the first. */
  readonly lastTurnAgeSeconds: number | null;
  readonly jsonl: { readonly path: string; readonly linesWritten: number; readonly lastError: string | null } | null;
}

/** Inputs of a health check. */
export interface HealthInput {
  readonly latest: TurnSnapshot | undefined;
  readonly loopState: LoopState;
  readonly runId: string;
  readonly seed: number;
  readonly nowMs: number;
  readonly startedAtMs: number;
  /** A running loop with no new turn for this long is stalled. */
  readonly stallAfterSeconds: number;
  readonly jsonl: JsonlStats | undefined;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The answer of /health: its status code and body. */
export interface HealthAnswer {
  readonly httpStatus: 200 | 503;
  readonly body: HealthBody;
}

/** A health check's verdict: what the body says besides the run's identity and the JSONL writer. */
interface Verdict {
  readonly status: HealthStatus;
  readonly reason: string | null;
  readonly uptimeSeconds: number;
  readonly lastTurnAgeSeconds: number | null;
}

/** The status, its reason, the uptime and the last turn's age (both rounded to the millisecond). */
function judge(input: HealthInput): Verdict {
  const uptimeSeconds = (input.nowMs - input.startedAtMs) / 1000;
  const age = input.latest ? (input.nowMs - input.latest.publishedAtMs) / 1000 : null;
  const sinceProgress = age ?? uptimeSeconds;
  let status: HealthStatus = 'ok';
  let reason: string | null = null;
  if (input.jsonl?.lastError) {
    status = 'failing';
    reason = `JSONL writer failing: ${input.jsonl.lastError}`;
  } else if (input.loopState === 'stopped') {
    status = 'stopping';
    reason = 'the turn loop has stopped';
  } else if (input.loopState === 'paused') {
    status = 'paused';
  } else if (input.loopState === 'idle' && input.latest) {
    status = 'finished';
  } else if (sinceProgress > input.stallAfterSeconds) {
    status = 'stalled';
    const disk = input.jsonl?.holdingBack ? ': the run waits for its JSONL file (a slow disk)' : '';
    reason = `no turn for ${round3(sinceProgress)} s (limit ${input.stallAfterSeconds} s)${disk}`;
  } else if (!input.latest) {
    status = 'starting';
  }
  return {
    status,
    reason,
    uptimeSeconds: round3(uptimeSeconds),
    lastTurnAgeSeconds: age === null ? null : round3(age),
  };
}

const httpStatusOf = (status: HealthStatus): 200 | 503 =>
  status === 'failing' || status === 'stalled' || status === 'stopping' ? 503 : 200;

/**
 * 200 while the loop advances, is paused on purpose, or finished its turns; 503 when a
 * running loop has stalled, when the JSONL writer is failing, or while stopping.
 */
export function checkHealth(input: HealthInput): HealthAnswer {
  const { status, reason, uptimeSeconds, lastTurnAgeSeconds } = judge(input);
  return {
    httpStatus: httpStatusOf(status),
    body: {
      status,
      reason,
      turn: input.latest?.turn ?? 0,
      runId: input.runId,
      seed: input.seed,
      uptimeSeconds,
      lastTurnAgeSeconds,
      jsonl: input.jsonl
        ? { path: input.jsonl.path, linesWritten: input.jsonl.linesWritten, lastError: input.jsonl.lastError }
        : null,
    },
  };
}

/** The /health answer with its body as JSON text. */
export interface HealthText {
  readonly httpStatus: 200 | 503;
  readonly text: string;
}

/** A number as JSON.stringify writes it. */
const jsonNumber = (value: number): string => (Number.isFinite(value) ? String(value) : 'null');

/**
 * The /health answer as text, byte for byte `JSON.stringify(checkHealth(input).body)`, for a
 * flood of probes: the text up to the uptime is made once per turn and state and the JSONL
 * writer's part once per line count, so a probe writes two numbers into them and allocates
 * no body. Invariant: a kept text is reused only while everything it was made from is `===`.
 */
export function createHealthText(): (input: HealthInput) => HealthText {
  // `status` '' matches no check: the first call makes the head.
  let head = { status: '', reason: null as string | null, latest: undefined as unknown, runId: '', seed: 0, text: '' };
  // `lines` -1: no JSONL writer (`null`).
  let tail = { path: '', lines: -1, lastError: null as string | null, text: 'null' };
  return (input) => {
    const { status, reason, uptimeSeconds, lastTurnAgeSeconds } = judge(input);
    const { latest, runId, seed, jsonl } = input;
    if (
      head.status !== status ||
      head.reason !== reason ||
      head.latest !== latest ||
      head.runId !== runId ||
      head.seed !== seed
    ) {
      const text =
        `{"status":${JSON.stringify(status)},"reason":${JSON.stringify(reason)},"turn":${jsonNumber(latest?.turn ?? 0)},` +
        `"runId":${JSON.stringify(runId)},"seed":${jsonNumber(seed)},"uptimeSeconds":`;
      head = { status, reason, latest, runId, seed, text };
    }
    if (
      jsonl === undefined
        ? tail.lines !== -1
        : tail.lines !== jsonl.linesWritten || tail.path !== jsonl.path || tail.lastError !== jsonl.lastError
    ) {
      const { path, linesWritten: lines, lastError } = jsonl ?? { path: '', linesWritten: -1, lastError: null };
      const text = jsonl ? JSON.stringify({ path, linesWritten: lines, lastError }) : 'null';
      tail = { path, lines, lastError, text };
    }
    const age = lastTurnAgeSeconds === null ? 'null' : jsonNumber(lastTurnAgeSeconds);
    return {
      httpStatus: httpStatusOf(status),
      text: `${head.text}${jsonNumber(uptimeSeconds)},"lastTurnAgeSeconds":${age},"jsonl":${tail.text}}`,
    };
  };
}
