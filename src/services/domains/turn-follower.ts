/**
 * Tells a service that updates its figures from each turn's changes whether it saw the
 * turn before this one. When it did not (its first turn, or the engine stepped without it),
 * it must start again from the whole world. Call it once per recorded turn.
 */
export function createTurnFollower(): (turn: number) => boolean {
  let last = Number.NaN;
  return (turn) => {
    const follows = turn === last + 1;
    last = turn;
    return follows;
  };
}
