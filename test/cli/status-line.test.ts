import { describe, expect, it } from 'vitest';
import { createStatusPrinter, formatStatus } from '../../src/cli/status-line.js';
import { loopFor } from '../monitoring/fixtures.js';

describe('status line', () => {
  const snapshot = loopFor('default', 1, 3).latest()!;

  it('shows turn, pace, budget, buys, price index and alerts', () => {
    const line = formatStatus(snapshot);
    expect(line).toMatch(
      /^turn 3 {2}[\d.]+ turns\/s {2}budget [\d.]+ {2}buys \d+\/\d+ {2}price index [\d.]+ {2}no alerts$/,
    );
  });

  it('shows no pace on the first turn, when no time has passed to measure it', () => {
    expect(formatStatus(loopFor('default', 1, 1).latest()!)).toMatch(/^turn 1 {2}- turns\/s {2}budget/);
  });

  it('rewrites one line on a terminal and prints plain lines when piped', () => {
    const tty: string[] = [];
    const piped: string[] = [];
    let now = 0;
    const t = createStatusPrinter({ write: (s: string) => tty.push(s), isTTY: true }, 0, () => now);
    const p = createStatusPrinter({ write: (s: string) => piped.push(s) }, 0, () => now);
    for (const printer of [t, p]) {
      printer.update(snapshot);
      now += 1;
      printer.update(snapshot);
      printer.finish();
    }
    expect(tty.slice(0, 2).every((s) => s.startsWith('\r\x1b[2K'))).toBe(true);
    expect(tty.at(-1)).toBe('\n');
    expect(piped).toHaveLength(2);
    expect(piped.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
  });

  it('prints at most one line per interval and the last one on finish', () => {
    const out: string[] = [];
    let now = 0;
    const printer = createStatusPrinter({ write: (s: string) => out.push(s) }, 1_000, () => now);
    for (let i = 0; i < 10; i++) {
      printer.update(snapshot);
      now += 100;
    }
    expect(out).toHaveLength(1);
    printer.finish();
    expect(out).toHaveLength(2);
  });
});

describe('status line on a narrow terminal', () => {
  it('is cut to the width, so it can be rewritten in place', () => {
    const snapshot = loopFor('default', 1, 3).latest()!;
    const out: string[] = [];
    const printer = createStatusPrinter({ write: (s: string) => out.push(s), isTTY: true, columns: 40 }, 0);
    printer.update(snapshot);
    const shown = out[0]!.replace('\r\x1b[2K', '');
    expect(shown.length).toBe(39);
    expect(shown.endsWith('…')).toBe(true);
    expect(formatStatus(snapshot).startsWith(shown.slice(0, -1))).toBe(true);
  });
});
