import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes, jsonKeys } from '../../../src/monitoring/jsonl/json-bytes.js';

/** The text JSON.stringify gives a number rounded as the line rounds it. */
const reference = (value: number, decimals: number) => {
  const scale = 10 ** decimals;
  return JSON.stringify(Number.isInteger(value) ? value : Math.round(value * scale) / scale);
};

const numberText = (o: JsonBytes, value: number) => {
  o.reset();
  o.number(value);
  return o.toString();
};

describe('JsonBytes', () => {
  it('writes every number as JSON.stringify writes it rounded to the decimals', () => {
    const o = new JsonBytes(6);
    const edges = [
      0,
      -0,
      1,
      -1,
      0.5,
      -0.5,
      1e-7,
      -1e-7,
      5e-7,
      4.9999e-7,
      0.000001,
      123.4567895,
      -123.4567895,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31),
      2 ** 31 - 0.5,
    ];
    const more = [
      2 ** 53,
      2 ** 53 + 2,
      1e21,
      -1e21,
      1.7976931348623157e308,
      Number.MIN_VALUE,
      8244916.59,
      13674.457787,
      0.1 + 0.2,
      99.9999999,
    ];
    for (const v of [...edges, ...more]) expect(numberText(o, v), String(v)).toBe(reference(v, 6));
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(numberText(o, v)).toBe('null');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.double({ min: -1e10, max: 1e10 }),
          fc.integer(),
          fc.maxSafeInteger(),
        ),
        (v) => {
          expect(numberText(o, v)).toBe(reference(v, 6));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('rounds to any number of decimals from 0 to 6', () => {
    for (let decimals = 0; decimals <= 6; decimals++) {
      const o = new JsonBytes(decimals);
      fc.assert(
        fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (v) => {
          expect(numberText(o, v)).toBe(reference(v, decimals));
        }),
        { numRuns: 1_000 },
      );
    }
  });

  it('writes strings as JSON.stringify does, escapes and UTF-8 included, however many there are', () => {
    const o = new JsonBytes(6);
    const texts = [
      'plain',
      'quote " and \\ backslash',
      'tab\tnew\nline\u0001',
      'café',
      'Zürich 東京 🚀',
      '\ud800 lone surrogate',
      '',
    ];
    for (const text of texts) {
      o.reset();
      o.string(text);
      expect(o.toString()).toBe(JSON.stringify(text));
    }
    // More distinct strings than the kept quoted texts: each still written right.
    o.reset();
    o.openArray();
    const many = Array.from({ length: 10_000 }, (_, i) => `name-${i}-é`);
    for (const text of [...many, ...many.slice(0, 100)]) {
      o.item();
      o.string(text);
    }
    o.closeArray();
    expect(JSON.parse(o.toString())).toEqual([...many, ...many.slice(0, 100)]);
  });

  it('places commas between members and items, nested, and grows past its first buffer', () => {
    const K = jsonKeys(['a', 'b', 'c', 'list', 'empty', 'nested', 'é"x']);
    const o = new JsonBytes(2, 8);
    o.open();
    o.num(K.a, 1);
    o.str(K.b, 'two');
    o.key(K.empty);
    o.open();
    o.close();
    o.key(K.list);
    o.openArray();
    for (let i = 0; i < 300; i++) {
      o.item();
      o.open();
      o.num(K.c, i + 0.125);
      o.key(K.nested);
      o.openArray();
      o.closeArray();
      o.close();
    }
    o.closeArray();
    o.num(K['é"x'], -0.005);
    o.ascii('');
    // A value kept with since() and written again with value().
    o.key(K.nested);
    const start = o.length;
    o.openArray();
    o.item();
    o.string('kept ✓');
    o.closeArray();
    const kept = o.since(start);
    o.key(K.c);
    o.value(kept);
    o.close();
    const expected = {
      a: 1,
      b: 'two',
      empty: {},
      list: Array.from({ length: 300 }, (_, i) => ({ c: Math.round((i + 0.125) * 100) / 100, nested: [] })),
      'é"x': Math.round(-0.005 * 100) / 100,
      nested: ['kept ✓'],
      c: ['kept ✓'],
    };
    expect(o.toString()).toBe(JSON.stringify(expected));
    expect(Buffer.from(o.view()).equals(Buffer.from(JSON.stringify(expected)))).toBe(true);
    expect(o.length).toBe(Buffer.byteLength(JSON.stringify(expected)));
  });

  it('writes strings seldom repeated (plainString) as JSON.stringify does, escapes and all', () => {
    const o = new JsonBytes(6, 4);
    const texts = [
      '',
      'Falcon Goods',
      'say "hi"',
      'back\\slash',
      'tab\there',
      'del\u007f',
      'é ✓',
      '\ud83d\ude00',
      'C42',
    ];
    for (const text of texts) {
      o.reset();
      o.plainString(text);
      expect(o.toString()).toBe(JSON.stringify(text));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        o.reset();
        o.plainString(text);
        return o.toString() === JSON.stringify(text);
      }),
    );
  });
});
