/*
 * The line's byte writer, compiled from LINE_SHAPE once, at the first line: every member
 * becomes a plain property read and a JsonBytes call, as schema compilers
 * (fast-json-stringify) do. JSON.stringify of the line object walked every key and ran a
 * rounding replacer on each, most of a default-world turn; a walk of the shape at every line
 * would read every figure by a computed key.
 */
import type { TurnSnapshot } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';
import type { SystemSample } from '../system-sampler.js';
import { EncodedText, JsonBytes } from './json-bytes.js';
import { type ItemFields, LINE_SHAPE, type LineFields, type LineNode, valueAt } from './line-shape.js';

/** Makes the line of one turn: its UTF-8 bytes, newline included. */
export type LineText = (snapshot: TurnSnapshot, sample: SystemSample | undefined) => Uint8Array;

/** `["a"]["b"]`: a property read in generated code (keys quoted as JSON, so any key is safe). */
const access = (path: readonly string[]): string => path.map((key) => `[${JSON.stringify(key)}]`).join('');

/** The source of one line function, built member by member. */
class LineSource {
  readonly body: string[] = [];
  readonly keys: EncodedText[] = [];
  readonly state: string[] = [];
  readonly #keyIndex = new Map<string, string>();
  #names = 0;

  constructor(readonly topEntries: number) {}

  /** The variable holding the encoded `"name":`. */
  key(name: string): string {
    let variable = this.#keyIndex.get(name);
    if (variable === undefined) {
      variable = `k${this.keys.length}`;
      this.keys.push(new EncodedText(`${JSON.stringify(name)}:`));
      this.#keyIndex.set(name, variable);
    }
    return variable;
  }

  /** A new local variable name. */
  local(prefix: string): string {
    return `${prefix}${this.#names++}`;
  }

  fields(fields: LineFields, snapshot: TurnSnapshot): void {
    for (const [name, node] of fields) this.member(name, node, snapshot);
  }

  member(name: string, node: LineNode, snapshot: TurnSnapshot): void {
    const k = this.key(name);
    switch (node.kind) {
      case 'constant':
        this.body.push(`o.num(${k}, ${node.value});`);
        return;
      case 'number':
        this.body.push(`o.num(${k}, s${access(node.path)});`);
        return;
      case 'string':
        this.body.push(`o.str(${k}, s${access(node.path)});`);
        return;
      case 'isoTime':
        this.body.push(`o.key(${k}); o.ascii(iso(s${access(node.path)}));`);
        return;
      case 'object':
        this.body.push(`o.key(${k}); o.open();`);
        this.fields(node.fields, snapshot);
        this.body.push('o.close();');
        return;
      case 'figures':
        return this.figures(k, node, snapshot);
      case 'list': {
        const [list, item] = [this.local('a'), this.local('e')];
        this.body.push(`o.key(${k}); o.openArray(); const ${list} = s${access(node.path)};`);
        this.body.push(`for (let i = 0; i < ${list}.length; i++) { const ${item} = ${list}[i]; o.item();`);
        this.item(item, node.item);
        this.body.push('} o.closeArray();');
        return;
      }
      case 'sample':
        this.body.push(`if (x !== undefined) { o.key(${k}); o.open();`);
        for (const [field, from] of Object.entries(node.fields))
          this.body.push(`o.num(${this.key(field)}, x${access([from])});`);
        this.body.push('o.close(); }');
        return;
    }
  }

  figures(k: string, node: Extract<LineNode, { kind: 'figures' }>, snapshot: TurnSnapshot): void {
    const value = this.local('v');
    this.body.push(`o.key(${k}); { const ${value} = s${access(node.path)};`);
    if (!node.repeats) {
      this.record(value, valueAt(snapshot, node.path) as object, node, node.path.join('.'));
      this.body.push('}');
      return;
    }
    // The same object as last line: copy its text, kept since.
    const [last, text] = [this.local('last'), this.local('text')];
    this.state.push(`let ${last}, ${text};`);
    this.body.push(`if (${value} === ${last}) o.value(${text}); else { const start = o.length;`);
    this.record(value, valueAt(snapshot, node.path) as object, node, node.path.join('.'));
    this.body.push(`${last} = ${value}; ${text} = o.since(start); } }`);
  }

  /** An object of figures, its members as in `sample` (the first line's). */
  record(value: string, sample: object, node: Extract<LineNode, { kind: 'figures' }>, where: string): void {
    this.body.push('o.open();');
    for (const [name, member] of Object.entries(sample) as [string, unknown][]) {
      if (node.omit.includes(name)) continue;
      const k = this.key(name);
      const read = `${value}${access([name])}`;
      const item = node.lists[name];
      if (typeof member === 'number') this.body.push(`o.num(${k}, ${read});`);
      else if (typeof member === 'string') this.body.push(`o.str(${k}, ${read});`);
      else if (Array.isArray(member) && item) {
        const [list, entry] = [this.local('a'), this.local('e')];
        this.body.push(`o.key(${k}); o.openArray(); const ${list} = ${read};`);
        this.body.push(
          `for (let i = 0; i < Math.min(${this.topEntries}, ${list}.length); i++) { const ${entry} = ${list}[i]; o.item();`,
        );
        this.item(entry, item);
        this.body.push('} o.closeArray();');
      } else if (member !== null && typeof member === 'object' && !Array.isArray(member)) {
        const inner = this.local('v');
        this.body.push(`o.key(${k}); { const ${inner} = ${read};`);
        this.record(inner, member, { ...node, omit: [], lists: {} }, `${where}.${name}`);
        this.body.push('}');
      } else throw new MonitoringErrors.TRADESIM_ERR_JSONL_LINE_SHAPE(`${where}.${name}`);
    }
    this.body.push('o.close();');
  }

  item(entry: string, item: ItemFields): void {
    this.body.push('o.open();');
    for (const [field, type] of Object.entries(item)) {
      this.body.push(`o.${type === 'number' ? 'num' : 'str'}(${this.key(field)}, ${entry}${access([field])});`);
    }
    this.body.push('o.close();');
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
function compileLine(first: TurnSnapshot, o: JsonBytes, topEntries: number): LineText {
  const source = new LineSource(topEntries);
  source.fields(LINE_SHAPE, first);
  const keys = source.keys.map((_, i) => `k${i} = keys[${i}]`).join(', ');
  const code = [
    "'use strict';",
    keys ? `const ${keys};` : '',
    ...source.state,
    'return function line(s, x) { o.reset(); o.open();',
    ...source.body,
    "o.close(); o.ascii('\\n'); return o.view(); };",
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from LINE_SHAPE and figure keys, quoted
  const factory = new Function('o', 'keys', 'iso', code) as (
    o: JsonBytes,
    keys: EncodedText[],
    iso: (ms: number) => string,
  ) => LineText;
  return factory(o, source.keys, createIsoTime());
}

/**
 * Creates the writer of a line's JSON text (LINE_SHAPE), numbers rounded to `decimals`
 * (0 to 6), top lists cut to `topEntries`. It returns the line's UTF-8 bytes, newline
 * included: a view of its own buffer, valid until it makes the next line. It is compiled at
 * the first line, from that snapshot's figures: a service's figures keep one shape.
 */
export function createLineText(decimals: number, topEntries: number): LineText {
  const o = new JsonBytes(decimals);
  let write: LineText | undefined;
  return (snapshot, sample) => (write ??= compileLine(snapshot, o, topEntries))(snapshot, sample);
}
