/*
 * A line's values taken out of its snapshot, in the order the line writes them: numbers as
 * float64, strings as indexes into the tape's own table. A tape crosses to the line worker
 * as one typed array and one array of strings, where a snapshot would be cloned object by
 * object.
 */

/** Lines captured together: their values, and how many lines they are. */
export interface TapeBatch {
  readonly numbers: Float64Array;
  /** The strings the numbers index. */
  readonly strings: readonly string[];
  readonly lines: number;
}

/**
 * The capture side. Invariant: `numbers[0, length)` holds, line after line, every value of
 * each line in writing order; a string's slot holds its index in `strings`. Absent numbers
 * (null, undefined) are stored as NaN, which the line writes as null as it writes them.
 */
export class LineTape {
  numbers: Float64Array;
  length = 0;
  lines = 0;
  strings: string[] = [];

  constructor(capacity = 1_024) {
    this.numbers = new Float64Array(capacity);
  }

  /** Adds a number, or NaN for an absent one. */
  num(value: number | null | undefined): void {
    if (this.length === this.numbers.length) this.#grow();
    this.numbers[this.length++] = value ?? Number.NaN;
  }

  /**
   * Adds a string, as its index in the table. Strings are not looked up to be kept once: a
   * lookup per string cost more than cloning the few repeats of a batch to the worker.
   */
  str(value: string): void {
    this.num(this.strings.length);
    this.strings.push(value);
  }

  /** Forgets the values, keeping the buffers. */
  reset(): void {
    this.length = 0;
    this.lines = 0;
    this.strings.length = 0;
  }

  /** The lines captured so far, as a batch of their own (copies), and starts afresh. */
  take(): TapeBatch {
    const batch = { numbers: this.numbers.slice(0, this.length), strings: this.strings, lines: this.lines };
    this.strings = [];
    this.reset();
    return batch;
  }

  #grow(): void {
    const grown = new Float64Array(this.numbers.length * 2);
    grown.set(this.numbers);
    this.numbers = grown;
  }
}

/** The writing side: reads a tape's values back in order. */
export class TapeReader {
  numbers: Float64Array = new Float64Array(0);
  strings: readonly string[] = [];
  at = 0;

  /** Reads from the start of `numbers`. */
  from(numbers: Float64Array, strings: readonly string[]): void {
    this.numbers = numbers;
    this.strings = strings;
    this.at = 0;
  }

  num(): number {
    return this.numbers[this.at++]!;
  }

  str(): string {
    return this.strings[this.numbers[this.at++]!]!;
  }
}
