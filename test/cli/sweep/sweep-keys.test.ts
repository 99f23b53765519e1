import { describe, expect, it } from 'vitest';
import { patchedScenario } from '../../../src/cli/sweep/run-one.js';
import { checkSetKey } from '../../../src/cli/sweep/sweep-keys.js';

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('--set keys', () => {
  it.each([
    'market.selectionProbability',
    'companies.count',
    'name',
    'alerts.rules',
    'thresholds.x',
    'slos.useDefaults',
  ])('takes %s', (key) => expect(codeOf(() => checkSetKey(key))).toBe('ok'));

  it.each([
    ['__proto__.x', "'__proto__' is not a scenario key"],
    ['constructor.prototype.polluted', "'constructor' is not a scenario key"],
    ['market.__proto__', "'__proto__' is not a scenario key"],
    ['markets.x', "the scenario has no key 'markets'"],
    ['market.nope', "'market' has no key 'nope'"],
    ['companies.count.deeper', "'companies.count' has no key 'deeper' (it is a value, not a section)"],
    ['toString', "the scenario has no key 'toString'"],
    // A section takes keys: a value for it would fail every run.
    ['market', '--set market: a section, not a value (set one of its keys: '],
    ['events.inflation', '--set events.inflation: a section, not a value'],
  ])('refuses %s, naming the part', (key, message) => {
    expect(codeOf(() => checkSetKey(key))).toBe('TRADESIM_ERR_CLI_FLAG_INVALID');
    expect(() => checkSetKey(key)).toThrow(message);
  });

  it('sets values as own properties: a key never reaches a prototype, even past the check', () => {
    const text = patchedScenario('{"market":{}}', { '__proto__.polluted': 1, 'market.x': 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(text)).toEqual({ market: { x: 2 }, ['__proto__']: { polluted: 1 } });
  });
});
