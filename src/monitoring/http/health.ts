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

/**
 * 200 while the loop advances, is paused on purpose, or finished its turns; 503 when a
 * running loop has stalled, when the JSONL writer is failing, or while stopping.
 */
export function checkHealth(input: HealthInput): HealthAnswer {
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
    reason = `no turn for ${round3(sinceProgress)} s (limit ${input.stallAfterSeconds} s)`;
  } else if (!input.latest) {
    status = 'starting';
  }
  const failing = status === 'failing' || status === 'stalled' || status === 'stopping';
  return {
    httpStatus: failing ? 503 : 200,
    body: {
      status,
      reason,
      turn: input.latest?.turn ?? 0,
      runId: input.runId,
      seed: input.seed,
      uptimeSeconds: round3(uptimeSeconds),
      lastTurnAgeSeconds: age === null ? null : round3(age),
      jsonl: input.jsonl
        ? { path: input.jsonl.path, linesWritten: input.jsonl.linesWritten, lastError: input.jsonl.lastError }
        : null,
    },
  };
}
