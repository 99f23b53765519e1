import { readFigureAt, type TurnSnapshot } from '../../services/index.js';

/** A run's figures at a bounded number of turns, oldest first. */
export interface RunPoints {
  readonly turns: number[];
  /** One column per figure, in the order the history was made with. */
  readonly values: number[][];
  /** Every `stride`-th turn is kept. */
  readonly stride: number;
}

/** Figures over the whole run, in at most `capacity` points however long it runs. */
export interface RunHistory {
  /** Takes a turn's figures when the turn falls on the stride (cheap otherwise). */
  record(snapshot: TurnSnapshot): void;
  /** record() of a turn's figures given as values, in the history's figure order (a turn played before the history began). */
  recordValues(turn: number, values: readonly number[]): void;
  points(): RunPoints;
}

/**
 * Keeps the figures of every `stride`-th turn, the stride starting at 1 and doubling each time
 * the points fill `capacity` (every other point is then dropped): the whole run, evenly spaced,
 * in at most `capacity` points, and a turn off the stride costs one remainder. The points are
 * the figures at those turns, not averages: a one-turn spike between two points is not drawn.
 */
export function createRunHistory(figures: readonly string[], capacity: number): RunHistory {
  if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
    throw new RangeError(`capacity: must be an even integer >= 2, got ${capacity}`);
  }
  const paths = figures.map((f) => f.split('.'));
  const turns = new Float64Array(capacity);
  const columns = figures.map(() => new Float64Array(capacity));
  let count = 0;
  let stride = 1;

  const halve = () => {
    let kept = 0;
    for (let i = 0; i < count; i++) {
      if (turns[i]! % (stride * 2) !== 0) continue;
      turns[kept] = turns[i]!;
      for (const column of columns) column[kept] = column[i]!;
      kept += 1;
    }
    count = kept;
    stride *= 2;
  };

  const take = (turn: number, valueOf: (f: number) => number) => {
    if (turn % stride !== 0) return;
    turns[count] = turn;
    for (let f = 0; f < paths.length; f++) columns[f]![count] = valueOf(f);
    count += 1;
    if (count === capacity) halve();
  };

  return {
    record: (snapshot) => take(snapshot.turn, (f) => readFigureAt(snapshot, paths[f]!) ?? Number.NaN),
    recordValues: (turn, values) => take(turn, (f) => values[f]!),
    points: () => ({
      turns: Array.from(turns.subarray(0, count)),
      values: columns.map((c) => Array.from(c.subarray(0, count))),
      stride,
    }),
  };
}
