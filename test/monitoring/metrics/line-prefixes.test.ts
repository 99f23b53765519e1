import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinePrefixes, type PrefixBuilder } from '../../../src/monitoring/metrics/line-prefixes.js';

const build: PrefixBuilder = (name, suffix, labels) =>
  `\n${name}${suffix}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${String(v)}"`)
    .join(',')}} `;

describe('LinePrefixes', () => {
  it('gives what the builder gives for every row, whatever the rows were before', () => {
    const label = fc.constantFrom('a', 'b', 'c', 'x y');
    const row = fc.record({
      name: fc.constantFrom('m', 'm_sum', 'other'),
      suffix: fc.constantFrom('', '_total'),
      labels: fc.dictionary(fc.constantFrom('k', 'le', 'name'), fc.oneof(label, fc.integer({ min: 0, max: 3 }))),
    });
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), (scrapes) => {
        const prefixes = new LinePrefixes(build);
        for (const rows of scrapes) {
          rows.forEach((r, i) =>
            expect(prefixes.prefix(i, r.name, r.suffix, r.labels)).toBe(build(r.name, r.suffix, r.labels)),
          );
          prefixes.trim(rows.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('builds a row once while its name and labels stay the same, and again when one changes', () => {
    let built = 0;
    const prefixes = new LinePrefixes((...args) => {
      built += 1;
      return build(...args);
    });
    for (let scrape = 0; scrape < 3; scrape++) {
      expect(prefixes.prefix(0, 'm', '', { stat: 'total' })).toBe('\nm{stat="total"} ');
      expect(prefixes.prefix(1, 'm', '', { stat: 'mean' })).toBe('\nm{stat="mean"} ');
    }
    expect(built).toBe(2);
    // Same values under another key, another order of keys, one label more: each is a new line.
    expect(prefixes.prefix(0, 'm', '', { kind: 'total' })).toBe('\nm{kind="total"} ');
    expect(prefixes.prefix(1, 'm', '', { b: 'mean', stat: 'mean' })).toBe('\nm{b="mean",stat="mean"} ');
    expect(prefixes.prefix(1, 'm', '', { stat: 'mean', b: 'mean' })).toBe('\nm{stat="mean",b="mean"} ');
    expect(prefixes.prefix(1, 'm', '_total', { stat: 'mean', b: 'mean' })).toBe('\nm_total{stat="mean",b="mean"} ');
    expect(built).toBe(6);
  });

  it('finds a row that moved (a ranking changed) by its first label, and builds only the new ones', () => {
    let built = 0;
    const prefixes = new LinePrefixes((...args) => {
      built += 1;
      return build(...args);
    });
    const scrape = (ids: string[]) => {
      ids.forEach((id, i) =>
        expect(prefixes.prefix(i, 'm', '', { company: id, name: `n${id}` })).toBe(
          `\nm{company="${id}",name="n${id}"} `,
        ),
      );
      prefixes.trim(ids.length);
    };
    scrape(['a', 'b', 'c']);
    expect(built).toBe(3);
    scrape(['c', 'a', 'b']);
    expect(built).toBe(3);
    // A newcomer is built; one whose other label changed too, under the same first label.
    scrape(['d', 'c', 'a']);
    expect(built).toBe(4);
    expect(prefixes.prefix(0, 'm', '', { company: 'c', name: 'renamed' })).toBe('\nm{company="c",name="renamed"} ');
    expect(built).toBe(5);
  });

  it('keeps a header until its name, help, type or units change', () => {
    const prefixes = new LinePrefixes(build);
    let made = 0;
    const make = (text: string) => () => {
      made += 1;
      return text;
    };
    expect(prefixes.header('m', 'help', 'gauge', false, make('one'))).toBe('one');
    expect(prefixes.header('m', 'help', 'gauge', false, make('two'))).toBe('one');
    expect(prefixes.header('m', 'help', 'counter', false, make('three'))).toBe('three');
    expect(prefixes.header('m', 'help', 'counter', true, make('four'))).toBe('four');
    expect(prefixes.header('m', 'other help', 'counter', true, make('five'))).toBe('five');
    expect(made).toBe(4);
  });
});
