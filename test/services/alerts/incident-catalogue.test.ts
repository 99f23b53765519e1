import { describe, expect, it } from 'vitest';
import { lengthOf, playIncidents, presetSection } from '../../../scripts/incidents.js';

describe('the incident catalogue (scripts/incidents.ts)', () => {
  const incidents = playIncidents('crisis', 7, 1_200);

  it("collects each firing with its fired and resolved turns, the freeze's among them", () => {
    const critical = incidents.find((i) => i.rule === 'budget_critical');
    expect(critical).toMatchObject({ severity: 'critical', seed: 7 });
    expect(critical!.fired).toBeGreaterThanOrEqual(920);
    expect(critical!.resolved).toBeGreaterThan(critical!.fired);
    expect(incidents.some((i) => i.rule === 'budget_trend_decreasing' && i.fired >= 920 && i.fired <= 1_000)).toBe(
      true,
    );
    // Firings of one rule never overlap.
    for (const rule of new Set(incidents.map((i) => i.rule))) {
      const mine = incidents.filter((i) => i.rule === rule);
      for (let k = 1; k < mine.length; k++) expect(mine[k]!.fired).toBeGreaterThanOrEqual(mine[k - 1]!.resolved!);
    }
    expect(lengthOf({ ...critical!, resolved: null }, 1_200)).toBe(1_201 - critical!.fired);
  });

  it('writes a row per rule and cause: when it fires, how long, and the shocks in force', () => {
    const text = presetSection('crisis', [7], 1_200, incidents);
    expect(text).toContain('## crisis');
    expect(text).toMatch(
      /\| `budget_critical` \| critical \| 1 of 1 \| 1\.0 \| 9\d\d \(9\d\d-9\d\d\) \| \d+ \(\d+-\d+\) \| [^|]*credit_freeze/,
    );
    expect(text).toMatch(
      /\| `no_active_product` \| critical \| 1 of 1 \| 1\.0 \| 400 \(400-400\) \| 10 \(10-10\) \| product_recall \|/,
    );
  });

  it("puts a firing with no shock in force down to a supplier outage in force: default's late orders", () => {
    // Seed 20 of default (a seed whose first late orders fall in an outage; on most seeds they
    // come from the start-up, as capacity catches up): a supplier down at turn 61.
    const defaults = playIncidents('default', 20, 300);
    const late = defaults.find((i) => i.rule === 'orders_late');
    expect(late).toMatchObject({ fired: 61, outage: true });
    expect(presetSection('default', [20], 300, defaults)).toMatch(
      /\| `orders_late` \| warning \| 1 of 1 \| 1\.0 \| 61 \(61-61\) \| [^|]+\| supplier outage \(no shock\) \|/,
    );
    // On crisis, which has no outages, nothing is put down to one.
    expect(incidents.every((i) => i.outage === false)).toBe(true);
  });
});
