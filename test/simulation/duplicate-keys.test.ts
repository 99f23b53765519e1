import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateKeys } from '../../src/simulation/duplicate-keys.js';

describe('duplicateKeys', () => {
  it('finds a key given twice, nested in objects and arrays, by its path', () => {
    expect(duplicateKeys('{"a":1,"a":2}')).toEqual(['a']);
    expect(duplicateKeys('{"market":{"households":5, "cycle":{}, "households":6}}')).toEqual(['market.households']);
    expect(duplicateKeys('{"timeline":[{"kind":"x"},{"kind":"y","turn":1,"kind":"z"}]}')).toEqual(['timeline.1.kind']);
    expect(duplicateKeys('{"a":{"b":1,"b":2,"b":3},"a":0}')).toEqual(['a.b', 'a']);
  });

  it('quotes a key that is empty or holds a dot, so its path reads as one key', () => {
    expect(duplicateKeys('{"":1,"":2}')).toEqual(['""']);
    expect(duplicateKeys('{"a":{"b.c":1,"b.c":2}}')).toEqual(['a."b.c"']);
  });

  it('compares keys as JSON reads them: escapes decoded, the same name in another object apart', () => {
    expect(duplicateKeys('{"a":1,"\\u0061":2}')).toEqual(['a']);
    expect(duplicateKeys('{"x":{"a":1},"y":{"a":1},"z":[{"a":1},{"a":2}]}')).toEqual([]);
    // Strings holding brackets, commas, colons and escaped quotes are values, never keys.
    expect(duplicateKeys('{"a":"{\\"a\\":1, ]","b":["a","a"],"c":"\\\\"}')).toEqual([]);
    expect(duplicateKeys(' { "n" : -1.5e3 , "t" : true , "f" : null } ')).toEqual([]);
  });

  it('finds none in any text JSON.stringify writes, and finds a key repeated into it', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (object, key) => {
        expect(duplicateKeys(JSON.stringify(object))).toEqual([]);
        const repeated = `{${JSON.stringify(key)}:0,${JSON.stringify(object).slice(1)}`.replace(/,}$/, '}');
        const shown = key === '' || key.includes('.') ? JSON.stringify(key) : key;
        expect(duplicateKeys(repeated)).toEqual(Object.hasOwn(object, key) ? [shown] : []);
      }),
    );
  });
});
