import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli/args.js';

describe("the README's CLI block", () => {
  it('is the options of --help, line for line', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /```\nnpm run simulate -- \[options\]\n\n([\s\S]*?)\n```/.exec(readme)?.[1];
    const options = USAGE.slice(USAGE.indexOf('  --scenario'), USAGE.indexOf('\n\nEndpoints'));
    expect(block).toBe(options);
  });
});
