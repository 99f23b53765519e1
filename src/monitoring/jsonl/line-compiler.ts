/*
 * The line's byte writer, compiled from LINE_SHAPE once, at the first line: every member
 * becomes a plain property read and a JsonBytes call, the text between two values one
 * constant copied in, as schema compilers (fast-json-stringify) do. JSON.stringify of the line object walked every key and ran a
 * rounding replacer on each, most of a default-world turn; a walk of the shape at every line
 * would read every figure by a computed key.
 */
import type { TurnSnapshot } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';
import type { SystemSample } from '../system-sampler.js';
import { EncodedText, JsonBytes } from './json-bytes.js';
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
 * The source of one line function, built member by member. The text known when it is
 * compiled (keys, brackets, commas) is gathered into one constant between two values, so a
 * line copies `,"budget":{"total":` once instead of placing a comma, a key and a bracket.
 */
class LineSource {
  body: string[] = [];
  readonly texts: EncodedText[] = [];
  readonly state: string[] = [];
  readonly #textIndex = new Map<string, string>();
  /** Constant text not yet written by the body. */
  #pending = '';
  /** For each open object or array, innermost last: true until it has its first member. */
  readonly #first: boolean[] = [];
  #names = 0;

  constructor(
    readonly topEntries: number,
    readonly leftOut: LeftOut,
  ) {}

  /** The variable holding `text` encoded. */
  text(text: string): string {
    let variable = this.#textIndex.get(text);
    if (variable === undefined) {
      variable = `t${this.texts.length}`;
      this.texts.push(new EncodedText(text));
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
    this.body.push(`o.text(${this.text(this.#pending)});`);
    this.#pending = '';
  }

  /** Generated code writing a value, after the constant text before it. */
  code(line: string): void {
    this.flush();
    this.body.push(line);
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
        return this.code(`o.number(s${access(node.path)});`);
      case 'string':
        return this.code(`o.string(s${access(node.path)});`);
      case 'isoTime':
        return this.code(`o.ascii(iso(s${access(node.path)}));`);
      case 'object':
        this.open('{');
        this.fields(node.fields, snapshot);
        this.close('}');
        return;
      case 'figures':
        return this.figures(node, snapshot);
      case 'list': {
        const [list, item] = [this.local('a'), this.local('e')];
        this.open('[');
        this.code(`const ${list} = s${access(node.path)};`);
        this.loop(list, `${list}.length`, item, node.item);
        this.close(']');
        return;
      }
    }
  }

  /** Members read from the system sample, written only when there is one. */
  sample(name: string, node: Extract<LineNode, { kind: 'sample' }>): void {
    // The comma after an optional member would not be known when the line is compiled.
    if (this.#first[this.#first.length - 1]) throw new MonitoringErrors.TRADESIM_ERR_JSONL_LINE_SHAPE(name);
    this.code('if (x !== undefined) {');
    this.key(name);
    this.open('{');
    for (const [field, from] of Object.entries(node.fields)) {
      this.key(field);
      this.code(`o.number(x${access([from])});`);
    }
    this.close('}');
    this.code('}');
  }

  /** The items of `list` up to `count`, each with the members of `item`, in brackets already open. */
  loop(list: string, count: string, entry: string, item: ItemFields): void {
    this.body.push(`for (let i = 0; i < ${count}; i++) { const ${entry} = ${list}[i];`);
    this.body.push(`if (i > 0) o.text(${this.text(',')});`);
    this.open('{');
    for (const [field, type] of Object.entries(item)) {
      this.key(field);
      this.code(`o.${type === 'number' ? 'number' : 'string'}(${entry}${access([field])});`);
    }
    this.close('}');
    this.code('}');
  }

  /**
   * A service's figures, written by a function of their own: V8 compiles a few small
   * functions in far less time than one line-long one, and a section whose figures change
   * shape is compiled again alone.
   */
  figures(node: Extract<LineNode, { kind: 'figures' }>, snapshot: TurnSnapshot): void {
    const value = this.local('v');
    const sample = valueAt(snapshot, node.path) as object;
    node = { ...node, omit: omittedOf(node, this.leftOut) };
    this.flush();
    const outer = this.body;
    this.body = [];
    if (node.repeats) {
      // The same object as last line: copy its text, kept since.
      const [last, text] = [this.local('last'), this.local('text')];
      this.state.push(`let ${last}, ${text};`);
      this.body.push(`if (${value} === ${last}) { o.text(${text}); return; } const start = o.length;`);
      this.record(value, sample, node, node.path.join('.'));
      this.code(`${last} = ${value}; ${text} = o.since(start);`);
    } else {
      this.record(value, sample, node, node.path.join('.'));
      this.flush();
    }
    const section = this.local('section');
    this.state.push(`function ${section}(${value}) {`, ...this.body, '}');
    this.body = outer;
    this.body.push(`${section}(s${access(node.path)});`);
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
        this.code(`o.number(${read});`);
      } else if (typeof member === 'string') {
        this.key(name);
        this.code(`o.string(${read});`);
      } else if (Array.isArray(member) && item) {
        const [list, entry] = [this.local('a'), this.local('e')];
        this.key(name);
        this.open('[');
        this.code(`const ${list} = ${read};`);
        this.loop(list, `Math.min(${this.topEntries}, ${list}.length)`, entry, item);
        this.close(']');
      } else if (member !== null && typeof member === 'object' && !Array.isArray(member)) {
        const inner = this.local('v');
        this.key(name);
        this.code(`{ const ${inner} = ${read};`);
        this.record(inner, member, { ...node, omit: [], lists: {} }, `${where}.${name}`);
        this.code('}');
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

/** Compiles LINE_SHAPE for snapshots shaped like `first` into a writer into `o`. */
function compileLine(first: TurnSnapshot, o: JsonBytes, topEntries: number, leftOut: LeftOut): LineText {
  const source = new LineSource(topEntries, leftOut);
  source.open('{');
  source.fields(LINE_SHAPE, first);
  source.close('}');
  source.constant('\n');
  source.flush();
  const texts = source.texts.map((_, i) => `t${i} = texts[${i}]`).join(', ');
  const code = [
    "'use strict';",
    texts ? `const ${texts};` : '',
    ...source.state,
    'return function line(s, x) { o.reset();',
    ...source.body,
    'return o.view(); };',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from LINE_SHAPE and figure keys, quoted
  const factory = new Function('o', 'texts', 'iso', code) as (
    o: JsonBytes,
    texts: EncodedText[],
    iso: (ms: number) => string,
  ) => LineText;
  return factory(o, source.texts, createIsoTime());
}

/**
 * Creates the writer of a line's JSON text (LINE_SHAPE), numbers rounded to `decimals`
 * (0 to 6), top lists cut to `topEntries`, the members of `leftOut` left out. It returns the line's UTF-8 bytes, newline
 * included: a view of its own buffer, valid until it makes the next line. It is compiled at
 * the first line, from that snapshot's figures: a service's figures keep one shape.
 */
export function createLineText(decimals: number, topEntries: number, leftOut: LeftOut = []): LineText {
  const o = new JsonBytes(decimals);
  let write: LineText | undefined;
  return (snapshot, sample) => (write ??= compileLine(snapshot, o, topEntries, leftOut))(snapshot, sample);
}
