import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alreadyLogged, logTailOfRun, wholeLinesBackward } from '../../src/cli/run-log.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'tradesim-run-log-')), 'm.jsonl');
const line = (turn: number, run = 'r', pad = '') => `${JSON.stringify({ v: 1, run, turn, pad })}\n`;

describe('logTailOfRun', () => {
  it('gives the last whole line turn and how many lines of that turn end the log', () => {
    const path = tempPath();
    writeFileSync(path, line(6) + line(7) + line(7) + line(7));
    expect(logTailOfRun(path, 'r', 0)).toEqual({ turn: 7, linesOfTurn: 3, whole: true, previousTurn: 6 });
  });

  it('ignores a torn last line, and counts the first line of a log held whole', () => {
    const path = tempPath();
    writeFileSync(path, `${line(4)}${line(4)}{"v":1,"run":"r","turn":5,"pa`);
    // The file starts with the turn, and --jsonl-keep 0 keeps no older file: not known whole.
    expect(logTailOfRun(path, 'r', 0)).toEqual({ turn: 4, linesOfTurn: 2, whole: false });
  });

  it('is undefined for another run, a missing file or a log with no whole line', () => {
    const path = tempPath();
    expect(logTailOfRun(path, 'r', 0)).toBeUndefined();
    writeFileSync(path, line(3, 'another'));
    expect(logTailOfRun(path, 'r', 0)).toBeUndefined();
    writeFileSync(path, '{"v":1,"run":"r"');
    expect(logTailOfRun(path, 'r', 0)).toBeUndefined();
  });

  it('counts the lines of the last turn back as far as they go, past the read-back window', () => {
    const path = tempPath();
    // Lines of about 100 KB: the last turn's seven span three windows of 256 KiB.
    const pad = 'x'.repeat(100_000);
    writeFileSync(path, line(8, 'r', pad) + Array.from({ length: 7 }, () => line(9, 'r', pad)).join(''));
    expect(logTailOfRun(path, 'r', 0)).toEqual({ turn: 9, linesOfTurn: 7, whole: true, previousTurn: 8 });
  });

  it('counts on into the rotated files when the newest holds only the last turn, or nothing', () => {
    const path = tempPath();
    writeFileSync(`${path}.2`, line(5) + line(6));
    writeFileSync(`${path}.1`, line(6) + line(6));
    writeFileSync(path, line(6));
    expect(logTailOfRun(path, 'r', 2)).toEqual({ turn: 6, linesOfTurn: 4, whole: true, previousTurn: 5 });
    // Files past `keep` are not the run's to read: the turn's first lines may be gone.
    expect(logTailOfRun(path, 'r', 1)).toEqual({ turn: 6, linesOfTurn: 3, whole: false });
    writeFileSync(path, '');
    expect(logTailOfRun(path, 'r', 2)).toEqual({ turn: 6, linesOfTurn: 3, whole: true, previousTurn: 5 });
    // With no older file, the first line read is the run's first: whole.
    rmSync(`${path}.2`);
    expect(logTailOfRun(path, 'r', 2)).toEqual({ turn: 6, linesOfTurn: 2, whole: true });
  });

  it('stops at a rotated name that is not a regular file, without blocking on a FIFO', () => {
    const path = tempPath();
    writeFileSync(path, line(3) + line(3));
    execFileSync('mkfifo', [`${path}.1`]);
    expect(logTailOfRun(path, 'r', 2)).toEqual({ turn: 3, linesOfTurn: 2, whole: false });
    rmSync(`${path}.1`);
    mkdirSync(`${path}.1`);
    expect(logTailOfRun(path, 'r', 2)).toEqual({ turn: 3, linesOfTurn: 2, whole: false });
  });
});

describe('wholeLinesBackward', () => {
  it('gives every whole line, last first, across windows, and skips a torn tail', () => {
    const path = tempPath();
    const lines = Array.from({ length: 40 }, (_, i) => `${i}:${'y'.repeat(i * 997)}`);
    writeFileSync(path, `${lines.join('\n')}\n{"torn`);
    const read = [...wholeLinesBackward(path)].map((b) => b.toString());
    expect(read).toEqual([...lines].reverse());
  });

  it('gives an empty line as one, nothing for a file with no newline, and throws for a missing one', () => {
    const path = tempPath();
    writeFileSync(path, 'a\n\nb\n');
    expect([...wholeLinesBackward(path)].map(String)).toEqual(['b', '', 'a']);
    writeFileSync(path, 'no newline');
    expect([...wholeLinesBackward(path)]).toEqual([]);
    expect(() => wholeLinesBackward(`${path}.missing`)).toThrow(/ENOENT/);
  });
});

describe('alreadyLogged', () => {
  it('holds the turns before the tail, and as many lines of its turn as end the log', () => {
    const logged = alreadyLogged({ turn: 5, linesOfTurn: 2, whole: true });
    expect([4, 4, 5, 5, 5, 6].map(logged)).toEqual([true, true, true, true, false, false]);
  });

  it('holds every line of the tail turn when its count is not whole', () => {
    const logged = alreadyLogged({ turn: 5, linesOfTurn: 2, whole: false });
    expect([5, 5, 5, 6].map(logged)).toEqual([true, true, true, false]);
  });

  it('holds nothing without a tail, and nothing once past it', () => {
    expect(alreadyLogged(undefined)(1)).toBe(false);
    const logged = alreadyLogged({ turn: 5, linesOfTurn: 1, whole: true });
    expect([6, 5, 4].map(logged)).toEqual([false, false, false]);
  });
});
