import { setFlagsFromString } from 'node:v8';

/** How far V8 lets the old generation grow past the live heap before a full collection. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Keeps the process's memory close to what it really holds: figures that outlive a young
 * collection would otherwise let the old generation grow to several times the live heap.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
