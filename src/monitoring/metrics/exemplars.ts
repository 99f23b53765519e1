import type { TurnSnapshot } from '../../services/index.js';
import type { Sample } from './readers.js';
import type { PulledSample } from './pulled-metric.js';

/** The exemplar labels of a turn: the run and the turn, to find its JSONL line and its page. */
export function exemplarOf(snapshot: TurnSnapshot): { labels: Record<string, string>; timestamp: number } {
  return { labels: { run_id: snapshot.runId, turn: String(snapshot.turn) }, timestamp: snapshot.publishedAtMs / 1000 };
}

/** What the latest turn added to a counter's series (by its labels): its exemplar's value. */
export type TurnIncrease = (snapshot: TurnSnapshot, labels: Readonly<Record<string, string>>) => number;

/** A counter's samples, each series the latest turn moved with that turn as its exemplar. */
export function withTurnExemplars(
  samples: readonly Sample[],
  snapshot: TurnSnapshot | undefined,
  increase: TurnIncrease,
): PulledSample[] {
  if (!snapshot) return [...samples];
  const { labels: labelSet, timestamp } = exemplarOf(snapshot);
  return samples.map(([labels, value]) => {
    const added = increase(snapshot, labels);
    return added > 0 ? [labels, value, undefined, { labelSet, value: added, timestamp }] : [labels, value];
  });
}
