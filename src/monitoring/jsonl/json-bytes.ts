/*
 * JSON text written straight into bytes: a line concatenated from a few hundred small
 * strings must be flattened before it can be encoded for the file, which cost more than
 * making it. Numbers are formatted digit by digit here; keys and names are encoded once and
 * copied.
 */

/** The machine's byte order, which typed arrays use: words are stored back in it. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Text encoded once as UTF-8 and kept as 32-bit words, so that it is copied four bytes at
 * a time: byte by byte, copying keys was the largest cost of a line.
 */
export class EncodedText {
  readonly words: Int32Array;
  /** Bytes of text; the last word may hold up to 3 bytes of padding past them. */
  readonly length: number;

  /** Encodes `text` as UTF-8, or keeps a copy of `bytes`. */
  constructor(text: string | Uint8Array) {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.words = new Int32Array(Math.ceil(bytes.length / 4));
    new Uint8Array(this.words.buffer).set(bytes);
    this.length = bytes.length;
  }
}

/** A JSON object key encoded with its quotes and colon: `"name":`. */
export type JsonKey = EncodedText & { readonly __jsonKey: true };

/** Encodes the keys of `names` once, as a record by name. */
export function jsonKeys<const K extends string>(names: readonly K[]): Readonly<Record<K, JsonKey>> {
  const out = {} as Record<K, JsonKey>;
  for (const name of names) out[name] = new EncodedText(`${JSON.stringify(name)}:`) as JsonKey;
  // Past about 16 properties added one by one, V8 keeps an object as a hash table, and
  // every `K.name` read is a lookup; a spread copy gets a fixed layout.
  return { ...out };
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NULL = new EncodedText('null');
/** Integers below this are formatted with 32-bit arithmetic; larger ones by String(). */
const INT32_LIMIT = 2 ** 31;
/** Quoted strings whose bytes are kept; names and ids repeat line after line. */
const QUOTED_KEPT = 4_096;

/**
 * A growable byte buffer that JSON text is written into, member by member: `open()`,
 * `key()` + a value, ..., `close()`. Commas are placed as members and items follow each
 * other. Non-integer numbers are rounded to `decimals` places and written as
 * `String(Math.round(v * 10 ** decimals) / 10 ** decimals)` would write them; non-finite
 * numbers are written as null, as JSON.stringify does.
 */
export class JsonBytes {
  #bytes: Buffer;
  /** The same memory as #bytes, for four-byte stores. */
  #view: DataView;
  #length = 0;
  /** True until the innermost open object or array has its first member. */
  #first = true;
  readonly #decimals: number;
  readonly #scale: number;
  /** Scaled values from here on are written by String(): their integer part passes INT32_LIMIT. */
  readonly #scaledLimit: number;
  readonly #quoted = new Map<string, EncodedText>();

  constructor(decimals: number, capacity = 8_192) {
    this.#decimals = decimals;
    this.#scale = 10 ** decimals;
    this.#scaledLimit = INT32_LIMIT * this.#scale;
    this.#bytes = Buffer.allocUnsafe(capacity);
    this.#view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.length);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** The bytes written so far: a view, valid until the next write or reset. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  /** The text written so far. */
  toString(): string {
    return this.#bytes.toString('utf8', 0, this.#length);
  }

  /** A copy of the bytes written from `start` (an earlier `length`) on, to write again with `value()`. */
  since(start: number): EncodedText {
    return new EncodedText(this.#bytes.subarray(start, this.#length));
  }

  /** A value written before and kept with `since()`. */
  value(text: EncodedText): void {
    this.#reserve(text.length + 3);
    this.#copy(text);
    this.#first = false;
  }

  /**
   * Text encoded before (a compiled line's keys, brackets and commas between two values), as
   * it is: no comma is placed, and it does not count as a member.
   */
  text(text: EncodedText): void {
    this.#reserve(text.length + 3);
    this.#copy(text);
  }

  /** Forgets everything written, keeping the buffer. */
  reset(): void {
    this.#length = 0;
    this.#first = true;
  }

  open(): void {
    this.#bracket(0x7b, true);
  }

  close(): void {
    this.#bracket(0x7d, false);
  }

  openArray(): void {
    this.#bracket(0x5b, true);
  }

  closeArray(): void {
    this.#bracket(0x5d, false);
  }

  /** An opening bracket starts a container with no member yet; a closing one ends a value. */
  #bracket(byte: number, opens: boolean): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = byte;
    this.#first = opens;
  }

  /** Starts the next member of an object: a comma unless it is the first, then the key. */
  key(key: JsonKey): void {
    this.#reserve(key.length + 4);
    if (!this.#first) this.#bytes[this.#length++] = COMMA;
    this.#first = false;
    this.#copy(key);
  }

  /** Starts the next item of an array: a comma unless it is the first. */
  item(): void {
    this.#reserve(1);
    if (!this.#first) this.#bytes[this.#length++] = COMMA;
    this.#first = false;
  }

  /** A member holding a number. */
  num(key: JsonKey, value: number): void {
    this.key(key);
    this.number(value);
  }

  /** A member holding a string. */
  str(key: JsonKey, value: string): void {
    this.key(key);
    this.string(value);
  }

  /** Text known to hold only ASCII characters (times, digits), as it is. */
  ascii(text: string): void {
    this.#reserve(text.length);
    this.#ascii(text);
  }

  /** A string value, quoted and escaped as JSON.stringify does. */
  string(value: string): void {
    let text = this.#quoted.get(value);
    if (text === undefined) {
      if (this.#quoted.size >= QUOTED_KEPT) this.#quoted.clear();
      text = new EncodedText(JSON.stringify(value));
      this.#quoted.set(value, text);
    }
    this.#reserve(text.length + 3);
    this.#copy(text);
  }

  /**
   * A string value as string() writes it, for strings seldom repeated (entity names on a
   * large world): one of plain ASCII, with nothing to escape, is copied in as it is, with no
   * encoded copy kept; any other goes through string().
   */
  plainString(value: string): void {
    const length = value.length;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.string(value);
        return;
      }
    }
    this.#reserve(length + 2);
    const bytes = this.#bytes;
    let at = this.#length;
    bytes[at++] = QUOTE;
    for (let i = 0; i < length; i++) bytes[at++] = value.charCodeAt(i);
    bytes[at++] = QUOTE;
    this.#length = at;
  }

  /** A number value: integers as they are, others rounded to `decimals` places, non-finite ones null. */
  number(value: number): void {
    // 24 bytes hold the longest text String() gives a number: -1.7976931348623157e+308.
    this.#reserve(27);
    if (Number.isInteger(value)) {
      if (value >= 0 && value < INT32_LIMIT) this.#digits(value);
      else if (value < 0 && value > -INT32_LIMIT) {
        this.#bytes[this.#length++] = MINUS;
        this.#digits(-value);
      } else this.#ascii(String(value));
      return;
    }
    if (!Number.isFinite(value)) {
      this.#copy(NULL);
      return;
    }
    let scaled = Math.round(value * this.#scale);
    if (!(Math.abs(scaled) < this.#scaledLimit)) {
      this.#ascii(String(scaled / this.#scale));
      return;
    }
    // -0 is written as 0, as String(-0) is.
    if (scaled < 0) {
      this.#bytes[this.#length++] = MINUS;
      scaled = -scaled;
    }
    const whole = Math.floor(scaled / this.#scale);
    this.#digits(whole);
    // The fraction's digits, its trailing zeros dropped: the shortest text that reads back
    // as scaled / scale, which is the text String() gives that number (below 2^31, two
    // texts with `decimals` places never read back as the same number).
    let fraction = (scaled - whole * this.#scale) | 0;
    if (fraction === 0) return;
    let places = this.#decimals;
    while (fraction % 10 === 0) {
      fraction = (fraction / 10) | 0;
      places -= 1;
    }
    const bytes = this.#bytes;
    bytes[this.#length++] = DOT;
    let at = this.#length + places;
    this.#length = at;
    for (let i = 0; i < places; i++) {
      const rest = (fraction / 10) | 0;
      bytes[--at] = ZERO + fraction - rest * 10;
      fraction = rest;
    }
  }

  /** The decimal digits of an integer from 0 to 2^31 - 1. */
  #digits(value: number): void {
    const bytes = this.#bytes;
    if (value < 10) {
      bytes[this.#length++] = ZERO + value;
      return;
    }
    const count =
      value < 100
        ? 2
        : value < 1e3
          ? 3
          : value < 1e4
            ? 4
            : value < 1e5
              ? 5
              : value < 1e6
                ? 6
                : value < 1e7
                  ? 7
                  : value < 1e8
                    ? 8
                    : value < 1e9
                      ? 9
                      : 10;
    let at = this.#length + count;
    this.#length = at;
    let rest = value | 0;
    while (rest > 0) {
      const next = (rest / 10) | 0;
      bytes[--at] = ZERO + rest - next * 10;
      rest = next;
    }
  }

  /** Text known to be ASCII (digits, signs, exponents, ISO times); room must be reserved. */
  #ascii(text: string): void {
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.#length = at;
  }

  /**
   * Copies encoded text in, a word at a time; room for its length plus 3 bytes must be
   * reserved. The padding written past its end is overwritten by what comes next.
   */
  #copy(text: EncodedText): void {
    const words = text.words;
    const view = this.#view;
    let at = this.#length;
    for (let i = 0; i < words.length; i++) {
      view.setInt32(at, words[i]!, LITTLE_ENDIAN);
      at += 4;
    }
    this.#length += text.length;
  }

  #reserve(count: number): void {
    if (this.#length + count <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + count));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }
}
