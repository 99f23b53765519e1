/*
 * The line's capture and byte writer, compiled from LINE_SHAPE once, at the first line: every
 * member becomes a plain property read onto a tape and a JsonBytes call off it, the text
 * between two values one constant copied in, as schema compilers (fast-json-stringify) do.
 * Split in two, the writing can be done by another thread (line-worker.ts). JSON.stringify of
 * the line object walked every key and ran a rounding replacer on each, most of a
 * default-world turn; a walk of the shape at every line would read every figure by a
 * computed key.
 */
import type { TurnSnapshot } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';
import type { SystemSample } from '../system-sampler.js';
import { EncodedText, JsonBytes } from './json-bytes.js';
import { LineTape, TapeReader } from './line-tape.js';
import {
  type ItemFields,
  type LeftOut,
  LINE_SHAPE,
  type LineFields,
  type LineNode,
  omittedOf,
  valueAt,
} from './line-shape.js';

/** Makes the line of one turn: its UTF-8 bytes, newline included. */
export type LineText = (snapshot: TurnSnapshot, sample: SystemSample | undefined) => Uint8Array;

/** `["a"]["b"]`: a property read in generated code (keys quoted as JSON, so any key is safe). */
const access = (path: readonly string[]): string => path.map((key) => `[${JSON.stringify(key)}]`).join('');

/**
 * The two functions of one line, built member by member side by side: the capture reads the
 * snapshot's values onto a tape (`t`), the writer reads them back off it (`r`) into bytes.
 * The text known when they are compiled (keys, brackets, commas) is the writer's alone,
 * gathered into one constant between two values, so a line copies `,"budget":{"total":`
 * once instead of placing a comma, a key and a bracket.
 */
class LineSource {
  /** Each function's statements; a section's go to a function of its own. */
  cap: string[] = [];
  fmt: string[] = [];
  readonly texts: string[] = [];
  readonly capState: string[] = [];
  readonly fmtState: string[] = [];
  readonly #textIndex = new Map<string, string>();
  /** Constant text not yet written by the writer. */
  #pending = '';
  /** For each open object or array, innermost last: true until it has its first member. */
  readonly #first: boolean[] = [];
  #names = 0;

  constructor(
    readonly topEntries: number,
    readonly leftOut: LeftOut,
  ) {}

  /** The writer's variable holding `text` encoded. */
  text(text: string): string {
    let variable = this.#textIndex.get(text);
    if (variable === undefined) {
      variable = `t${this.texts.length}`;
      this.texts.push(text);
      this.#textIndex.set(text, variable);
    }
    return variable;
  }

  /** Adds constant text, written with the next value. */
  constant(text: string): void {
    this.#pending += text;
  }

  /** Writes the constant text gathered so far: before a value, a loop or a branch. */
  flush(): void {
    if (this.#pending === '') return;
    this.fmt.push(`o.text(${this.text(this.#pending)});`);
    this.#pending = '';
  }

  /** A statement of the writer, after the constant text before it. */
  code(line: string): void {
    this.flush();
    this.fmt.push(line);
  }

  /** A value read by `read` from the snapshot: captured, then written as `kind` says. */
  value(kind: 'number' | 'string' | 'isoTime', read: string): void {
    this.cap.push(kind === 'string' ? `t.str(${read});` : `t.num(${read});`);
    const write = { number: 'o.number(r.num());', string: 'o.string(r.str());', isoTime: 'o.ascii(iso(r.num()));' };
    this.code(write[kind]);
  }

  open(bracket: '{' | '['): void {
    this.constant(bracket);
    this.#first.push(true);
  }

  close(bracket: '}' | ']'): void {
    this.constant(bracket);
    this.#first.pop();
  }

  /** The key of the next member of the innermost object, its comma first unless it is the first. */
  key(name: string): void {
    const at = this.#first.length - 1;
    this.constant(`${this.#first[at] ? '' : ','}${JSON.stringify(name)}:`);
    this.#first[at] = false;
  }

  /** A new local variable name. */
  local(prefix: string): string {
    return `${prefix}${this.#names++}`;
  }

  fields(fields: LineFields, snapshot: TurnSnapshot): void {
    for (const [name, node] of fields) this.member(name, node, snapshot);
  }

  member(name: string, node: LineNode, snapshot: TurnSnapshot): void {
    if (node.kind === 'sample') return this.sample(name, node);
    this.key(name);
    switch (node.kind) {
      case 'constant':
        this.constant(JSON.stringify(node.value));
        return;
      case 'number':
      case 'string':
      case 'isoTime':
        return this.value(node.kind, `s${access(node.path)}`);
      case 'object':
        this.open('{');
        this.fields(node.fields, snapshot);
        this.close('}');
        return;
      case 'figures':
        return this.figures(node, snapshot);
      case 'list':
        this.open('[');
        this.loop(`s${access(node.path)}`, (list) => `${list}.length`, node.item);
        this.close(']');
        return;
    }
  }

  /** Members read from the system sample, written only when there is one. */
  sample(name: string, node: Extract<LineNode, { kind: 'sample' }>): void {
    // The comma after an optional member would not be known when the line is compiled.
    if (this.#first[this.#first.length - 1]) throw new MonitoringErrors.TRADESIM_ERR_JSONL_LINE_SHAPE(name);
    this.cap.push('if (x === undefined) t.num(0); else { t.num(1);');
    this.code('if (r.num() === 1) {');
    this.key(name);
    this.open('{');
    for (const [field, from] of Object.entries(node.fields)) {
      this.key(field);
      this.value('number', `x${access([from])}`);
    }
    this.close('}');
    this.cap.push('}');
    this.code('}');
  }

  /**
   * The items of the list `read`, up to `count` of it, each with the members of `item`, in
   * brackets already open: the capture puts the count on the tape before the items.
   */
  loop(read: string, count: (list: string) => string, item: ItemFields): void {
    const [list, n, entry] = [this.local('a'), this.local('n'), this.local('e')];
    this.cap.push(`{ const ${list} = ${read}; const ${n} = ${count(list)}; t.num(${n});`);
    this.cap.push(`for (let i = 0; i < ${n}; i++) { const ${entry} = ${list}[i];`);
    this.code(`{ const ${n} = r.num(); for (let i = 0; i < ${n}; i++) {`);
    this.fmt.push(`if (i > 0) o.text(${this.text(',')});`);
    this.open('{');
    for (const [field, type] of Object.entries(item)) {
      this.key(field);
      this.value(type, `${entry}${access([field])}`);
    }
    this.close('}');
    this.cap.push('} }');
    this.code('} }');
  }

  /**
   * A service's figures, captured and written by functions of their own: V8 compiles a few
   * small functions in far less time than one line-long one.
   */
  figures(node: Extract<LineNode, { kind: 'figures' }>, snapshot: TurnSnapshot): void {
    const value = this.local('v');
    const sample = valueAt(snapshot, node.path) as object;
    node = { ...node, omit: omittedOf(node, this.leftOut) };
    this.flush();
    const [outerCap, outerFmt] = [this.cap, this.fmt];
    [this.cap, this.fmt] = [[], []];
    if (node.repeats) {
      // The same object as last line: the tape says so, and the writer copies its text, kept since.
      const [last, text] = [this.local('last'), this.local('text')];
      this.capState.push(`let ${last};`);
      this.fmtState.push(`let ${text};`);
      this.cap.push(`if (${value} === ${last}) { t.num(1); return; } t.num(0);`);
      this.fmt.push(`if (r.num() === 1) { o.text(${text}); return; } const start = o.length;`);
      this.record(value, sample, node, node.path.join('.'));
      this.cap.push(`${last} = ${value};`);
      this.code(`${text} = o.since(start);`);
    } else {
      this.record(value, sample, node, node.path.join('.'));
      this.flush();
    }
    const section = this.local('section');
    this.capState.push(`function ${section}(${value}) {`, ...this.cap, '}');
    this.fmtState.push(`function ${section}() {`, ...this.fmt, '}');
    [this.cap, this.fmt] = [outerCap, outerFmt];
    this.cap.push(`${section}(s${access(node.path)});`);
    this.fmt.push(`${section}();`);
  }

  /** An object of figures, its members as in `sample` (the first line's). */
  record(value: string, sample: object, node: Extract<LineNode, { kind: 'figures' }>, where: string): void {
    this.open('{');
    for (const [name, member] of Object.entries(sample) as [string, unknown][]) {
      if (node.omit.includes(name)) continue;
      const read = `${value}${access([name])}`;
      const item = node.lists[name];
      if (typeof member === 'number') {
        this.key(name);
        this.value('number', read);
      } else if (typeof member === 'string') {
        this.key(name);
        this.value('string', read);
      } else if (Array.isArray(member) && item) {
        this.key(name);
        this.open('[');
        this.loop(read, (list) => `Math.min(${this.topEntries}, ${list}.length)`, item);
        this.close(']');
      } else if (member !== null && typeof member === 'object' && !Array.isArray(member)) {
        const inner = this.local('v');
        this.key(name);
        this.cap.push(`{ const ${inner} = ${read};`);
        this.record(inner, member, { ...node, omit: [], lists: {} }, `${where}.${name}`);
        this.cap.push('}');
      } else throw new MonitoringErrors.TRADESIM_ERR_JSONL_LINE_SHAPE(`${where}.${name}`);
    }
    this.close('}');
  }
}

/** A formatter of ms since the epoch as quoted ISO text: toISOString per line showed in profiles. */
function createIsoTime(): (ms: number) => string {
  // The text up to the second changes once a second.
  let second = Number.NaN;
  let prefix = '';
  return (ms) => {
    if (!Number.isInteger(ms) || ms < 0) return `"${new Date(ms).toISOString()}"`;
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      second = s;
      prefix = new Date(s * 1000).toISOString().slice(0, 19);
    }
    const milli = ms - s * 1000;
    return `"${prefix}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z"`;
  };
}

/** The source of a line's writer: what the line worker is sent to compile it for itself. */
export interface LineWriterSource {
  readonly code: string;
  /** The constant texts between values, in the order `code` names them (`t0`, `t1`...). */
  readonly texts: readonly string[];
  /** Decimals kept of non-integer numbers (0 to 6). */
  readonly decimals: number;
}

/** Reads one line's values off a tape, onto the tape's end. */
export type LineCapture = (snapshot: TurnSnapshot, sample: SystemSample | undefined) => void;

/** Writes the next line of the tape `r` reads: its UTF-8 bytes, newline included, a view valid until the next line. */
export type LineWriter = (r: TapeReader) => Uint8Array;

/** A line's capture and the source of its writer, compiled together from LINE_SHAPE. */
export interface CompiledLine {
  readonly capture: LineCapture;
  readonly writer: LineWriterSource;
}

/**
 * Compiles LINE_SHAPE for snapshots shaped like `first` (a service's figures keep one shape):
 * the capture onto `tape`, and the source of the writer of what it captures.
 */
export function compileLine(
  first: TurnSnapshot,
  tape: LineTape,
  options: { readonly decimals: number; readonly topEntries: number; readonly leftOut: LeftOut },
): CompiledLine {
  const source = new LineSource(options.topEntries, options.leftOut);
  source.open('{');
  source.fields(LINE_SHAPE, first);
  source.close('}');
  source.constant('\n');
  source.flush();
  const capture = [
    "'use strict';",
    ...source.capState,
    'return function capture(s, x) {',
    ...source.cap,
    't.lines += 1; };',
  ].join('\n');
  const texts = source.texts.map((_, i) => `t${i} = texts[${i}]`).join(', ');
  const code = [
    "'use strict';",
    texts ? `const ${texts};` : '',
    // The tape being read, for the sections' functions too.
    'let r;',
    ...source.fmtState,
    'return function line(reader) { r = reader; o.reset();',
    ...source.fmt,
    'return o.view(); };',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from LINE_SHAPE and figure keys, quoted
  const factory = new Function('t', capture) as (t: LineTape) => LineCapture;
  return { capture: factory(tape), writer: { code, texts: source.texts, decimals: options.decimals } };
}

/** Compiles a line's writer from its source: in the thread that makes the lines. */
export function compileLineWriter(source: LineWriterSource): LineWriter {
  const texts = source.texts.map((text) => new EncodedText(text));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated by compileLine from LINE_SHAPE
  const factory = new Function('o', 'texts', 'iso', source.code) as (
    o: JsonBytes,
    texts: EncodedText[],
    iso: (ms: number) => string,
  ) => LineWriter;
  return factory(new JsonBytes(source.decimals), texts, createIsoTime());
}

/**
 * Creates the writer of a line's JSON text (LINE_SHAPE), numbers rounded to `decimals`
 * (0 to 6), top lists cut to `topEntries`, the members of `leftOut` left out, in this
 * thread: each line captured and written at once. It returns the line's UTF-8 bytes, newline
 * included: a view of its own buffer, valid until it makes the next line. It is compiled at
 * the first line, from that snapshot's figures: a service's figures keep one shape.
 */
export function createLineText(decimals: number, topEntries: number, leftOut: LeftOut = []): LineText {
  const tape = new LineTape();
  const reader = new TapeReader();
  let capture: LineCapture | undefined;
  let write: LineWriter | undefined;
  return (snapshot, sample) => {
    if (!capture || !write) {
      const compiled = compileLine(snapshot, tape, { decimals, topEntries, leftOut });
      [capture, write] = [compiled.capture, compileLineWriter(compiled.writer)];
    }
    tape.reset();
    capture(snapshot, sample);
    reader.from(tape.numbers, tape.strings);
    return write(reader);
  };
}
