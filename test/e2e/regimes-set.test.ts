/*
 * `npm run regimes -- --set`: a preset the edits cannot make into a scenario is refused before
 * anything is played, with one line naming it on stderr and exit code 2. Nothing is written:
 * the refusal comes before any preset is played or docs/incidents.md is touched.
 */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScript } from './processes.js';

/** The regimes script; its exit code and stderr. */
const regimes = (args: readonly string[]) => runScript('regimes', args);

describe('regimes --set', () => {
  it.each([
    [
      ['--presets', 'crisis', '--set', 'timeline.0.severity=0.5'],
      'regimes: --set: timeline is a list; only object keys can be set',
    ],
    [
      ['--presets', 'default', '--set', 'events.supplierOutag.probability=1'],
      'regimes: default with --set events.supplierOutag.probability=1: invalid scenario: events.supplierOutag: unknown key',
    ],
    [
      ['--presets', 'default', '--set', 'events.supplierOutage.probability=2'],
      'regimes: default with --set events.supplierOutage.probability=2: invalid scenario: events.supplierOutage.probability: must be <= 1',
    ],
    [['--presets', 'default', '--set', 'households=1'], 'regimes: --set households=1: expected section.key=value'],
  ])('%j: one line, exit 2', async (args, line) => {
    const { code, stderr } = await regimes(['--seeds', '1', '--turns', '100', ...args]);
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
  });
});

describe('regimes --seeds and --turns', () => {
  it.each([
    [['--seeds', 'abc'], "regimes: --seeds: expected N, N-M or a comma-separated list of them, got 'abc'"],
    [['--seeds', '10-1'], "regimes: --seeds: '10-1' is not a range from low to high"],
    [['--turns', 'abc'], "regimes: --turns: expected a whole number from 1 to 1,000,000, got 'abc'"],
    [['--turns', '-5'], "regimes: --turns: expected a whole number from 1 to 1,000,000, got '-5'"],
    // Fewer turns than the criteria read judged NaN and Infinity as misses.
    [['--turns', '300'], "regimes: --turns: default's criteria read 2,000 turns at least, got 300"],
    // A billion seeds ran out of memory listing them.
    [['--seeds', '1-999999999'], 'regimes: --seeds: at most 10,000 seeds'],
  ])('%j: one line, exit 2, before docs/incidents.md is touched', async (args, line) => {
    const before = statSync('docs/incidents.md').mtimeMs;
    const { code, stderr } = await regimes(['--presets', 'default', ...args]);
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
    expect(statSync('docs/incidents.md').mtimeMs).toBe(before);
  });
});

describe('incidents --presets and --seeds', () => {
  const incidents = (args: readonly string[]) => runScript('incidents', args);
  it.each([
    // A reversed range wrote a catalogue of no seed; an unknown preset was a stack trace.
    [['--seeds', '5-1'], "incidents: --seeds: '5-1' is not a range from low to high"],
    [['--seeds', '1-99999999999'], 'incidents: --seeds: at most 10,000 seeds'],
    [['--presets', 'nope'], 'incidents: --presets: nope is not a preset of scenarios/'],
    // A user's own file is not written over.
    [
      ['--out', 'README.md'],
      'incidents: cannot write README.md: it exists and is not an incident catalogue; remove it or name another',
    ],
  ])('%j: one line, exit 2, docs/incidents.md untouched', async (args, line) => {
    const before = statSync('docs/incidents.md').mtimeMs;
    const { code, stderr } = await incidents(args);
    expect(code).toBe(2);
    expect(stderr).toBe(`${line}\n`);
    expect(statSync('docs/incidents.md').mtimeMs).toBe(before);
  });
});
