import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presetNames, readScenarioSource } from '../../src/cli/scenario-file.js';

describe('readScenarioSource', () => {
  it('finds presets by name and files by path', () => {
    expect(presetNames()).toEqual(['classic', 'crisis', 'default', 'large', 'stress']);
    expect(JSON.parse(readScenarioSource('crisis').text).name).toBe('crisis');
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-scenario-'));
    const path = join(dir, 'mine.json');
    writeFileSync(path, '{"name":"mine"}');
    expect(readScenarioSource(path)).toEqual({ path, text: '{"name":"mine"}' });
  });

  it('names the presets when nothing matches', () => {
    expect(() => readScenarioSource('crysis')).toThrow(
      expect.objectContaining({
        code: 'TRADESIM_ERR_CLI_SCENARIO_NOT_FOUND',
        message: "--scenario: no preset or file named 'crysis' (presets: classic, crisis, default, large, stress)",
      }),
    );
  });

  it('refuses a file that is not UTF-8 text, rather than read its bytes as U+FFFD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-scenario-'));
    const path = join(dir, 'latin1.json');
    writeFileSync(path, Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    expect(() => readScenarioSource(path)).toThrow(`--scenario: cannot read ${path}: not UTF-8 text`);
  });

  it('says how to name a file that has a name like a preset', () => {
    // package.json ends in .json; README.md is a file here named as a preset would be.
    expect(() => readScenarioSource('README.md')).toThrow(
      "--scenario: no preset named 'README.md' (presets: classic, crisis, default, large, stress); a name without a '/' or '.json' is a preset: for the file, give ./README.md",
    );
  });
});
