/*
 * What a pulled metric reads at scrape time, and the small builders its reader is written
 * with. Each metric's reader sits with its declaration in its area's list.
 */
import type { TurnSnapshot } from '../../services/index.js';
import type { Firing } from '../alert-firings.js';
import type { JsonlStats } from '../jsonl/jsonl-writer.js';
import type { SystemSample } from '../system-sampler.js';
import { type FoldedEntities, foldEntities } from './entity-fold.js';

/** One sample of a metric: its labels and its value. */
export type Sample = readonly [labels: Readonly<Record<string, string>>, value: number];

/** Everything the pull-based metrics read at scrape time. */
export interface ScrapeSource {
  readonly snapshot: TurnSnapshot | undefined;
  readonly seriesBudget: number;
  /** Cumulative alert transitions by rule and state entered. */
  readonly alertTransitions: ReadonlyMap<string, { rule: string; state: string; count: number }>;
  /** Seconds spent in each turn phase since the start. */
  readonly phaseSeconds: Readonly<Record<string, number>>;
  /** In-process firings to forward: still firing or recently resolved. */
  readonly firings: readonly Firing[];
  /** Resolved firings dropped before they settled at 0, by rule. */
  readonly firingsDropped: ReadonlyMap<string, number>;
  readonly jsonl:
    Pick<JsonlStats, 'linesWritten' | 'writeErrors' | 'busySeconds' | 'rotations' | 'reopens'> | undefined;
  readonly system: SystemSample | undefined;
  /** Failures the run went on through, by output (jsonl, events, checkpoint, push). */
  readonly outputErrors: Readonly<Record<string, number>> | undefined;
  /** Seconds the run waited for its log files to catch up, by output (jsonl, events). */
  readonly outputWaits: Readonly<Record<string, number>> | undefined;
}

/** How a gauge or counter is read: its samples from what a scrape sees. */
export type Reader = (source: ScrapeSource) => readonly Sample[];
type SnapshotReader = (snapshot: TurnSnapshot, source: ScrapeSource) => readonly Sample[];

/** One sample; none when the value is absent (NaN: nothing to measure this turn). */
export const one = (value: number): readonly Sample[] => (Number.isNaN(value) ? [] : [[{}, value]]);
/** A reader of the turn snapshot: nothing before the first turn. */
export const fromSnapshot =
  (read: SnapshotReader): Reader =>
  (source) =>
    source.snapshot ? read(source.snapshot, source) : [];
/** One sample per SLO of the scenario. */
export const bySlo = (values: Readonly<Record<string, number>>): Sample[] =>
  Object.entries(values).map(([slo, value]) => [{ slo }, value] as const);
/** One sample per key of a fixed list, labelled `label`. */
export const byKey = <K extends string>(label: string, keys: readonly K[], value: (k: K) => number): Sample[] =>
  keys.map((k) => [{ [label]: k }, value(k)] as const);

/** A per-entity family's reader: its folded series, each labelled by `label` (the entity's id) and name. */
export const fromFold = (family: keyof FoldedEntities, label: string): Reader =>
  fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget)[family].map((e) => [{ [label]: e.id, name: e.name }, e.value] as const),
  );

/** The entities the per-entity families show under their own labels: the top `seriesBudget - 1`. */
export const listed = <T>(entities: readonly T[], src: ScrapeSource): readonly T[] =>
  entities.slice(0, Math.max(0, src.seriesBudget - 1));
