import { OUTPUT_KINDS, type OutputKind } from '../monitoring/index.js';
import { escapeControls } from './control-characters.js';
import type { TextOut } from './safe-writer.js';

/** How often, at most, one kind of failure is said on stderr. */
const WARN_EVERY_MS = 60_000;

/** `say`, called at most once a minute: the calls in between are dropped. */
export function atMostOncePerMinute(
  say: (message: string) => void,
  now: () => number = Date.now,
): (message: string) => void {
  let last = -Infinity;
  return (message) => {
    if (now() - last < WARN_EVERY_MS) return;
    last = now();
    say(message);
  };
}

/** A warning for a fault the run goes on through: printed at most once a minute. */
export function warnAtMostOncePerMinute(stderr: TextOut, now: () => number = Date.now): (message: string) => void {
  return atMostOncePerMinute((message) => stderr.write(`tradesim: warning: ${message}\n`), now);
}

/** The failures of a run's outputs: said on stderr at most once a minute per kind, and counted. */
export interface OutputFaults {
  /** Says a failure of `kind` (throttled per kind) and counts `lost` (checkpoints, pushes; 0 for a writer that counts its lines). */
  report(kind: OutputKind, message: string, lost?: number): void;
  /** Failures so far by kind, every kind present. */
  counts(): Readonly<Record<OutputKind, number>>;
}

/** Creates the failure record of one run; control characters in messages are escaped. */
export function createOutputFaults(stderr: TextOut, now: () => number = Date.now): OutputFaults {
  const warners = new Map(OUTPUT_KINDS.map((kind) => [kind, warnAtMostOncePerMinute(stderr, now)] as const));
  const lost: Record<OutputKind, number> = { jsonl: 0, events: 0, checkpoint: 0, push: 0 };
  return {
    report(kind, message, count = 1) {
      lost[kind] += count;
      warners.get(kind)!(escapeControls(message.split('\n')[0] ?? ''));
    },
    counts: () => ({ ...lost }),
  };
}
