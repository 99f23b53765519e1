/** One whole list's order, as sorted at `turn`. */
export interface SortedOrder {
  /** Every entity's index, in the list's order. */
  readonly order: Uint32Array;
  /** The turn it was sorted at. */
  readonly turn: number;
}

/**
 * Whole-list sorts kept for reuse by the deep pages of the entity lists, so a client paging
 * deep into 100,000 companies costs the loop about what a scrape does, however often it asks.
 * Invariant: a key is sorted again only when its order is from another turn and older than
 * `max(minReuseMs, COST_FACTOR x the time its last sort took)` (a sort then takes at most
 * about 1/COST_FACTOR of the loop's time per key), and at most `maxKeys` orders are kept.
 */
export interface SortCache {
  /** The order for `key` (the list, its field and direction) at `turn`: a kept one, or `sort()`'s. */
  order(key: string, turn: number, count: number, sort: () => Uint32Array): SortedOrder;
}

/** A key's sort is reused this many times as long as it took, at least. */
const COST_FACTOR = 20;

/** Creates an empty cache; `nowMs` is the wall clock (a test passes its own). */
export function createSortCache(
  minReuseMs = 1_000,
  maxKeys = 12,
  nowMs: () => number = () => performance.now(),
): SortCache {
  const kept = new Map<string, SortedOrder & { readonly atMs: number; readonly costMs: number }>();
  return {
    order(key, turn, count, sort) {
      const now = nowMs();
      const hit = kept.get(key);
      const fresh =
        hit !== undefined &&
        hit.order.length === count &&
        (hit.turn === turn || now - hit.atMs < Math.max(minReuseMs, COST_FACTOR * hit.costMs));
      if (fresh) return hit;
      const order = sort();
      const entry = { order, turn, atMs: now, costMs: nowMs() - now };
      // Most recently sorted last: the first key is the one to drop.
      kept.delete(key);
      kept.set(key, entry);
      if (kept.size > maxKeys) kept.delete(kept.keys().next().value!);
      return entry;
    },
  };
}
