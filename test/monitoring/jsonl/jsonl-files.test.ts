import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutAfterTurn } from '../../../src/monitoring/jsonl/jsonl-files.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'tradesim-files-')), 'm.jsonl');
/** Lines of turns `from`..`to`, each about 5 KB: a 64 KiB window holds about 13. */
const lines = (from: number, to: number) =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `${JSON.stringify({ v: 1, run: 'r', seed: 1, turn: from + i, pad: 'x'.repeat(5_000) })}\n`,
  ).join('');
const turnsIn = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { turn: number }).turn);

describe('cutAfterTurn', () => {
  it('cuts the lines after the turn, reading back across many windows', async () => {
    const path = tempPath();
    writeFileSync(path, lines(1, 300));
    expect(await cutAfterTurn(path, 120)).toBe(180);
    expect(turnsIn(path)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('cuts every line when all are after it, and none when none is', async () => {
    const path = tempPath();
    writeFileSync(path, lines(5, 20));
    expect(await cutAfterTurn(path, 30)).toBe(0);
    expect(turnsIn(path)).toHaveLength(16);
    expect(await cutAfterTurn(path, 4)).toBe(16);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('takes a torn last line with the lines it cuts, and leaves it when it cuts none', async () => {
    const path = tempPath();
    writeFileSync(path, `${lines(1, 10)}{"v":1,"run":"r","seed":1,"turn":11,"pa`);
    expect(await cutAfterTurn(path, 10)).toBe(0);
    expect(readFileSync(path, 'utf8').endsWith('"pa')).toBe(true);
    expect(await cutAfterTurn(path, 7)).toBe(3);
    expect(turnsIn(path)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('is 0 for a missing file', async () => {
    expect(await cutAfterTurn(tempPath(), 1)).toBe(0);
  });
});
