import { describe, expect, it } from 'vitest';
import { createOutputFaults } from '../../src/cli/output-faults.js';

describe('output faults', () => {
  it('says each kind at most once a minute, counts every failure, and escapes control characters', () => {
    const said: string[] = [];
    let now = 0;
    const faults = createOutputFaults({ write: (text) => said.push(text) }, () => now);
    faults.report('jsonl', 'disk full', 0);
    faults.report('jsonl', 'disk still full', 0);
    faults.report('checkpoint', 'no space\u001b[2J\nsecond line');
    faults.report('checkpoint', 'again');
    now = 59_999;
    faults.report('jsonl', 'not yet', 0);
    now = 60_000;
    faults.report('jsonl', 'a minute later', 0);
    faults.report('push', 'refused', 1);
    expect(said).toEqual([
      'tradesim: warning: disk full\n',
      'tradesim: warning: no space\\u001b[2J\n',
      'tradesim: warning: a minute later\n',
      'tradesim: warning: refused\n',
    ]);
    expect(faults.counts()).toEqual({ jsonl: 0, events: 0, checkpoint: 2, push: 1 });
  });
});
