import type { TurnSnapshot } from '../services/index.js';

/** One status line: turn, pace, budget, success rate and alerts. */
export function formatStatus(s: TurnSnapshot): string {
  const firing = s.alerts.active.filter((a) => a.state === 'firing');
  const alerts = firing.length === 0 ? 'no alerts' : `alerts: ${firing.map((a) => a.rule).join(', ')}`;
  return [
    `turn ${s.turn}`,
    `${Number.isNaN(s.performance.window.turnsPerSecond) ? '-' : s.performance.window.turnsPerSecond.toFixed(1)} turns/s`,
    `budget ${s.budget.total.toFixed(2)}`,
    `buys ${s.transaction.successes}/${s.transaction.attempts}`,
    `price index ${Number.isNaN(s.product.priceIndex) ? 'n/a' : s.product.priceIndex.toFixed(1)}`,
    alerts,
  ].join('  ');
}

/** Writes status lines: rewritten in place on a terminal, plain lines when piped. */
export interface StatusPrinter {
  update(snapshot: TurnSnapshot): void;
  /** Ends the in-place line (on a terminal) so later output starts on a new line. */
  finish(): void;
}

/**
 * Creates a printer for `out`. At most one line every `minIntervalMs` (plain lines when
 * paced slower than that show every turn), so a flat-out run does not flood the output.
 */
export function createStatusPrinter(
  out: { write(text: string): unknown; readonly isTTY?: boolean | undefined; readonly columns?: number | undefined },
  minIntervalMs: number,
  nowMs: () => number = Date.now,
): StatusPrinter {
  let last = Number.NEGATIVE_INFINITY;
  let pending: TurnSnapshot | undefined;
  let open = false;
  const print = (s: TurnSnapshot) => {
    if (out.isTTY) {
      // Cut to the terminal's width: a wrapped line could not be rewritten in place.
      const text = formatStatus(s);
      const width = (out.columns ?? 0) > 1 ? out.columns! - 1 : text.length;
      out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      open = true;
    } else {
      out.write(`${formatStatus(s)}\n`);
    }
    pending = undefined;
  };
  return {
    update(snapshot) {
      const now = nowMs();
      if (now - last >= minIntervalMs) {
        last = now;
        print(snapshot);
      } else {
        pending = snapshot;
      }
    },
    finish() {
      if (pending) print(pending);
      if (open) out.write('\n');
      open = false;
    },
  };
}
