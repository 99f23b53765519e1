import { describe, expect, it } from 'vitest';
import { parseFlagSpec } from '../../src/cli/flag-spec.js';

describe('--shock and --fault specs', () => {
  it('reads key=value pairs, numbers as numbers and +N as given', () => {
    expect(parseFlagSpec('--shock', 'type=credit_freeze,at=+50,turns=100,severity=0.8')).toEqual({
      type: 'credit_freeze',
      at: '+50',
      turns: 100,
      severity: 0.8,
    });
  });

  it.each([
    ['credit_freeze', 'each part must be key=value'],
    ['type=a,type=b', "'type' given twice"],
    ['turns=5', 'needs type=NAME'],
    ['type=latency,,ms=5', 'each part must be key=value'],
  ])('refuses %j naming the flag', (raw, why) => {
    expect(() => parseFlagSpec('--fault', raw)).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_CLI_FLAG_INVALID' }),
    );
    expect(() => parseFlagSpec('--fault', raw)).toThrow(`--fault: ${why}`);
  });

  it("reads a key named as an object's own (constructor, toString) as any other, not as given twice", () => {
    expect(parseFlagSpec('--shock', 'type=credit_freeze,constructor=1')).toEqual({
      type: 'credit_freeze',
      constructor: 1,
    });
  });
});
