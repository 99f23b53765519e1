import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWholeFile, writeWholeFile } from '../../src/cli/whole-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradesim-whole-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const refuse = (problem: string): never => {
  throw new Error(`refused: ${problem}`);
};

describe('readWholeFile', () => {
  it('reads a regular file whole', () => {
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'hello');
    expect(readWholeFile(path, 5, refuse).toString()).toBe('hello');
  });

  it('refuses a missing file with the system message, without its code', () => {
    expect(() => readWholeFile(join(dir, 'none'), 10, refuse)).toThrow(
      /^refused: no such file or directory, open '[^']+'$/,
    );
  });

  it('refuses a FIFO without blocking, a folder and a device, unread', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Refused once (a refusal is not taken for a failed read and refused again).
    for (const path of [fifo, dir, '/dev/zero']) {
      expect(() => readWholeFile(path, 10, refuse)).toThrow(/^refused: not a regular file$/);
    }
  });

  it('refuses a file larger than its limit', () => {
    const path = join(dir, 'big');
    writeFileSync(path, 'x'.repeat(11));
    expect(() => readWholeFile(path, 10, refuse)).toThrow(/^refused: larger than 10 bytes$/);
  });

  it("refuses a file by its first bytes when the head's check says so, and reads the rest otherwise", () => {
    const path = join(dir, 'log');
    writeFileSync(path, 'MAGIC 1\nrest');
    const head = (magic: string) => ({
      bytes: 6,
      problem: (first: string) => (first === magic ? undefined : `starts with ${JSON.stringify(first)}`),
    });
    expect(() => readWholeFile(path, 100, refuse, head('OTHER '))).toThrow(/^refused: starts with "MAGIC "$/);
    expect(readWholeFile(path, 100, refuse, head('MAGIC ')).toString()).toBe('MAGIC 1\nrest');
  });

  it('reads back what writeWholeFile wrote', () => {
    const path = join(dir, 'w.bin');
    writeWholeFile(path, [Buffer.from('ab'), Buffer.from('cd')]);
    expect(readWholeFile(path, 4, refuse)).toEqual(readFileSync(path));
  });
});
