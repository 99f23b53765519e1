import { describe, expect, it } from 'vitest';
import { createExporter, createLineMetrics, serializeSnapshotLine } from '../../../src/monitoring/index.js';
import type { SnapshotLineInput } from '../../../src/monitoring/index.js';
import { parseExposition, loopFor } from '../fixtures.js';

const key = (s: { name: string; labels: Readonly<Record<string, string>> }) =>
  `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;

// Families whose values depend on wall-clock time or on the line's rounding of timings, and
// the lines written (this exporter has no JSONL writer; the backfill counts the lines read).
const NOT_COMPARED =
  /^tradesim_(last_turn_timestamp_seconds|alert_firing|turn_duration_\w+|turn_phase_seconds_total|jsonl_lines_written_total)$/;

describe('createLineMetrics: a JSONL line as the exporter renders its turn', () => {
  it("gives the live exposition's names, labels and values for every family a line holds", async () => {
    const loop = loopFor('crisis', 7, 0);
    const exporter = createExporter({ loop, seriesBudget: 50 });
    const lines = createLineMetrics(50);
    const compared = new Set<string>();
    // To turn 160: crisis seed 7 has no alert transition in its first 120 turns.
    for (let turn = 1; turn <= 160; turn++) {
      loop.runTurn();
      const line = JSON.parse(serializeSnapshotLine(loop.latest()!, undefined)) as SnapshotLineInput;
      const fromLine = await lines.read(line, turn * 1000);
      if (turn % 40 !== 0) continue;
      const live = new Map(parseExposition((await exporter.render()).body).map((s) => [key(s), s.value]));
      for (const s of fromLine) {
        if (NOT_COMPARED.test(s.name.replace(/_(bucket|sum|count)$/, ''))) continue;
        // The info families' labels a line lacks are empty; a line keeps the top 3 of each
        // list, so __other__ folds more entities than the exporter's (checked below).
        if (s.name.endsWith('_info') && s.name !== 'tradesim_info') continue;
        if (s.labels.name === '__other__') continue;
        const value = live.get(key(s));
        expect(value, `${key(s)} is not on /metrics`).toBeDefined();
        // A line keeps 6 decimals.
        expect(s.value, key(s)).toBeCloseTo(value!, 4);
        compared.add(s.name);
      }
    }
    // The families the dashboards and the cookbook read most are among them.
    for (const name of [
      'tradesim_info',
      'tradesim_turns_total',
      'tradesim_budget',
      'tradesim_companies',
      'tradesim_transactions_total',
      'tradesim_supplier_stock_units',
      'tradesim_company_budget',
      'tradesim_alert_transitions_total',
    ]) {
      expect(compared, name).toContain(name);
    }
    expect(compared.size).toBeGreaterThan(40);
  });

  it('folds the entities past the top 3 a line keeps into __other__, so the family still adds up', async () => {
    const loop = loopFor('crisis', 7, 60);
    const line = JSON.parse(serializeSnapshotLine(loop.latest()!, undefined)) as SnapshotLineInput;
    const samples = await createLineMetrics(50).read(line, 0);
    const budgets = samples.filter((s) => s.name === 'tradesim_company_budget');
    expect(budgets.length).toBeLessThanOrEqual(4);
    const total = samples.find((s) => s.name === 'tradesim_budget' && s.labels.stat === 'total')!.value;
    expect(budgets.reduce((sum, s) => sum + s.value, 0)).toBeCloseTo(total, 1);
  });

  it('has one firing series at 1 exactly for the turns its rule fires, at 0 the turn it resolves, and counts each transition', async () => {
    const line = (turn: number, alerts: { rule: string; severity: string; state: string }[]): SnapshotLineInput => ({
      run: 'r',
      seed: 1,
      turn,
      business: { scenario: 's' },
      alerts,
    });
    const metrics = createLineMetrics(10);
    const rule = { rule: 'budget_low', severity: 'warning' };
    const states = ['pending', 'firing', 'firing', undefined, 'firing', undefined];
    const firing: string[][] = [];
    let last: readonly { name: string; labels: Readonly<Record<string, string>>; value: number }[] = [];
    for (const [i, state] of states.entries()) {
      last = await metrics.read(line(i + 1, state ? [{ ...rule, state }] : []), (i + 1) * 1000);
      firing.push(
        last.filter((s) => s.name === 'tradesim_alert_firing').map((s) => `${s.labels.fired_turn!}=${s.value}`),
      );
    }
    expect(firing).toEqual([[], ['2=1'], ['2=1'], ['2=0'], ['5=1'], ['5=0']]);
    const transitions = Object.fromEntries(
      last.filter((s) => s.name === 'tradesim_alert_transitions_total').map((s) => [s.labels.state, s.value]),
    );
    expect(transitions).toEqual({ pending: 1, firing: 2, resolved: 2 });
    // A line that holds no business figure gives no sample of them, and never throws.
    expect(last.find((s) => s.name === 'tradesim_budget')).toBeUndefined();
    expect(last.find((s) => s.name === 'tradesim_turn')?.value).toBe(6);
  });
});
