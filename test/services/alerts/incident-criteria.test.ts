import { describe, expect, it } from 'vitest';
import { type Incident, judgeIncidents } from '../../../scripts/incident-criteria.js';
import { playIncidents } from '../../../scripts/incidents.js';

const firing = (overrides: Partial<Incident>): Incident => ({
  rule: 'orders_late',
  severity: 'warning',
  seed: 1,
  fired: 100,
  resolved: 170,
  waiting: 0,
  demand: 1,
  ...overrides,
});
const freeze = [{ shock: 'credit_freeze', from: 920, to: 1_069 }];

describe('the incident criteria (scripts/incident-criteria.ts)', () => {
  it('meets every default criterion with warning incidents of 10 turns and more, and no critical', () => {
    const report = judgeIncidents(
      'default',
      [1, 2],
      10_000,
      [firing({}), firing({ seed: 2, fired: 500, resolved: 570 })],
      [],
    );
    expect(report.met).toBe(true);
    expect(report.lines.join('\n')).toContain('2 of 2 seeds meet every criterion');
  });

  it('misses on a blip, a short median, two criticals in 10,000 turns or a seed without a warning incident', () => {
    const cases: Incident[][] = [
      [firing({}), firing({ fired: 300, resolved: 301 })],
      [firing({ resolved: 105 }), firing({ fired: 300, resolved: 303 }), firing({ fired: 400, resolved: 480 })],
      [
        firing({}),
        firing({ rule: 'budget_critical', severity: 'critical', fired: 300, resolved: 320 }),
        firing({ rule: 'budget_critical', severity: 'critical', fired: 600, resolved: 620 }),
      ],
      [firing({ rule: 'budget_critical', severity: 'critical', resolved: 120 })],
      [],
    ];
    for (const incidents of cases) expect(judgeIncidents('default', [1], 10_000, incidents, []).met).toBe(false);
  });

  it('writes a seed with no firing as - for its shortest and median lengths, never NaN', () => {
    const report = judgeIncidents('classic', [1, 2], 10_000, [firing({})], []);
    const seed2 = report.lines.find((l) => l.startsWith('| 2 |'))!;
    expect(seed2).toMatch(/^\| 2 \| 0 \| - \| - \|/);
    expect(report.lines.join('\n')).not.toContain('NaN');
  });

  it('asks of a preset with a freeze the budget trend in its first 80 turns on 9 of 10 seeds, at most once per 1,000 turns outside shocks', () => {
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const trend = (seed: number, fired: number) =>
      firing({ rule: 'budget_trend_decreasing', seed, fired, resolved: fired + 20 });
    const inFreeze = seeds.map((seed) => trend(seed, 980));
    expect(judgeIncidents('crisis', seeds, 3_000, inFreeze.slice(1), freeze).met).toBe(true);
    expect(judgeIncidents('crisis', seeds, 3_000, inFreeze.slice(2), freeze).met).toBe(false);
    // Four firings in 3,000 calm turns is 1.3 per 1,000: too many.
    const calm = [1_200, 1_500, 2_000, 2_500].map((t) => trend(1, t));
    expect(judgeIncidents('crisis', seeds, 3_000, [...inFreeze, ...calm], freeze).met).toBe(false);
    // A firing still on at the end is not a blip, however short.
    expect(
      judgeIncidents('default', [1], 10_000, [firing({}), firing({ fired: 10_000, resolved: null })], []).met,
    ).toBe(true);
  });
});

describe("default's own incidents", () => {
  it('orders_late opens warning incidents of 10 turns and more from the stock-outs, with no critical', () => {
    // The market's own dynamics, not a shock: default has no timeline.
    for (const seed of [1, 2]) {
      const incidents = playIncidents('default', seed, 3_000);
      const late = incidents.filter((i) => i.rule === 'orders_late' && i.resolved !== null);
      expect(late.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const i of late) {
        expect(i.resolved! - i.fired).toBeGreaterThanOrEqual(10);
      }
      expect(incidents.filter((i) => i.severity === 'critical')).toEqual([]);
    }
  });
});
