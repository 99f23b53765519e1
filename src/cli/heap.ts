import { setFlagsFromString } from 'node:v8';

/** How far V8 lets the old generation grow past the live heap before a full collection. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Keeps the process's memory close to what it really holds. A run allocates short-lived
 * figures every turn and some outlive a young-generation collection; by default V8 then
 * lets the old generation grow to several times the live heap before collecting it, so RSS
 * climbed over a run while the live heap stayed flat. Growing by at most 50 % keeps RSS flat
 * (docs/performance.md) for a few more full collections, mostly incremental.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
