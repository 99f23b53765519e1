import type { TurnSnapshot } from '../../services/index.js';
import type { SystemSample } from '../system-sampler.js';
import { createLineText, type LineText } from './line-compiler.js';
import type { LeftOut } from './line-shape.js';

/** Entries kept of each top list in a line, so a line stays small whatever the world's size. */
export const LINE_TOP_ENTRIES = 3;

/** Decimals kept of non-integer numbers in a line: figures are exact in memory, rounded on output. */
export const LINE_DECIMALS = 6;
const SCALE = 10 ** LINE_DECIMALS;

/** JSON.stringify replacer that rounds non-integers to LINE_DECIMALS, as the line's text does. */
export const roundLineNumbers = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * SCALE) / SCALE : value;

const lineText = createLineText(LINE_DECIMALS, LINE_TOP_ENTRIES);

/**
 * The line of one turn as UTF-8 JSON text, newline included: the object of LINE_SHAPE
 * (buildLineObject), its numbers rounded (roundLineNumbers), by the writer compiled from it. The
 * bytes are a view valid until the next line is made: copy them to keep them.
 */
export function snapshotLineBytes(snapshot: TurnSnapshot, system: SystemSample | undefined): Uint8Array {
  return lineText(snapshot, system);
}

/** The line of one turn as a string: the text of snapshotLineBytes. */
export function serializeSnapshotLine(snapshot: TurnSnapshot, system: SystemSample | undefined): string {
  return Buffer.from(lineText(snapshot, system)).toString('utf8');
}

/**
 * The line writer of one run: as snapshotLineBytes, the members of `leftOut` (linesLeaveOut of
 * its scenario) left out of every line. The bytes are a view valid until its next line.
 */
export function createSnapshotLine(leftOut: LeftOut): LineText {
  return leftOut.length === 0 ? lineText : createLineText(LINE_DECIMALS, LINE_TOP_ENTRIES, leftOut);
}
