import { buildLineObject } from '../../../src/monitoring/jsonl/line-shape.js';
import { LINE_TOP_ENTRIES, roundLineNumbers } from '../../../src/monitoring/jsonl/snapshot-line.js';
import type { SystemSample } from '../../../src/monitoring/index.js';
import type { TurnSnapshot } from '../../../src/services/index.js';

/**
 * The test seam of the JSONL line compiler: the line as JSON.stringify writes the object
 * LINE_SHAPE describes, numbers rounded, that the compiled writer must match byte for byte.
 */
export function referenceLine(snapshot: TurnSnapshot, system: SystemSample | undefined): string {
  return `${JSON.stringify(buildLineObject(snapshot, system, LINE_TOP_ENTRIES), roundLineNumbers)}\n`;
}
