import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alreadyLogged, logTailOfRun } from '../../src/cli/run-log.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'tradesim-run-log-')), 'm.jsonl');
const line = (turn: number, run = 'r', pad = '') => `${JSON.stringify({ v: 1, run, turn, pad })}\n`;

describe('logTailOfRun', () => {
  it('gives the last whole line turn and how many lines of that turn end the log', () => {
    const path = tempPath();
    writeFileSync(path, line(6) + line(7) + line(7) + line(7));
    expect(logTailOfRun(path, 'r')).toEqual({ turn: 7, linesOfTurn: 3 });
  });

  it('ignores a torn last line, and counts the first line of a log held whole', () => {
    const path = tempPath();
    writeFileSync(path, `${line(4)}${line(4)}{"v":1,"run":"r","turn":5,"pa`);
    expect(logTailOfRun(path, 'r')).toEqual({ turn: 4, linesOfTurn: 2 });
  });

  it('is undefined for another run, a missing file or a log with no whole line', () => {
    const path = tempPath();
    expect(logTailOfRun(path, 'r')).toBeUndefined();
    writeFileSync(path, line(3, 'another'));
    expect(logTailOfRun(path, 'r')).toBeUndefined();
    writeFileSync(path, '{"v":1,"run":"r"');
    expect(logTailOfRun(path, 'r')).toBeUndefined();
  });

  it('counts only the whole lines of the read-back window (256 KiB) on a longer log', () => {
    const path = tempPath();
    // Lines of about 100 KB: the window holds two whole ones and part of a third.
    const pad = 'x'.repeat(100_000);
    writeFileSync(path, line(9, 'r', pad) + line(9, 'r', pad) + line(9, 'r', pad) + line(9, 'r', pad));
    expect(logTailOfRun(path, 'r')).toEqual({ turn: 9, linesOfTurn: 2 });
  });
});

describe('alreadyLogged', () => {
  it('holds the turns before the tail, and as many lines of its turn as end the log', () => {
    const logged = alreadyLogged({ turn: 5, linesOfTurn: 2 });
    expect([4, 4, 5, 5, 5, 6].map(logged)).toEqual([true, true, true, true, false, false]);
  });

  it('holds nothing without a tail, and nothing once past it', () => {
    expect(alreadyLogged(undefined)(1)).toBe(false);
    const logged = alreadyLogged({ turn: 5, linesOfTurn: 1 });
    expect([6, 5, 4].map(logged)).toEqual([false, false, false]);
  });
});
