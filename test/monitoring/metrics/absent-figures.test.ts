import { describe, expect, it } from 'vitest';
import {
  createExporter,
  createLineMetrics,
  foldEntities,
  OTHER_LABEL,
  serializeSnapshotLine,
  type SnapshotLineInput,
} from '../../../src/monitoring/index.js';
import { loopFor, parseExposition } from '../fixtures.js';

const samplesOf = async (loop: ReturnType<typeof loopFor>) =>
  parseExposition((await createExporter({ loop, seriesBudget: 50 }).render()).body);

describe('figures with nothing to measure: absent in the snapshot and on /metrics, never a made-up 0', () => {
  it('a world that started with no money has no evolution against it', async () => {
    const broke = {
      companies: { budgetMin: 0, budgetMax: 0 },
      events: { interval: 1, budgetRefill: { probability: 1, min: 500, max: 2_000 } },
    };
    const loop = loopFor(broke, 1, 10);
    const { budget } = loop.latest()!;
    expect(budget.initialTotal).toBe(0);
    expect(budget.total).toBeGreaterThan(0);
    expect(budget.evolution).toBe(budget.total);
    expect(budget.evolutionPercent).toBeNaN();
    const names = new Set((await samplesOf(loop)).map((s) => s.name));
    expect(names.has('tradesim_budget_to_initial_ratio')).toBe(false);
    expect(names.has('tradesim_budget_evolution_ratio')).toBe(false);
    expect(names.has('tradesim_budget')).toBe(true);
  });

  it('a backfilled line leaves out what it wrote null, as /metrics does, never a 0', async () => {
    const broke = {
      companies: { budgetMin: 0, budgetMax: 0 },
      events: { interval: 1, budgetRefill: { probability: 1, min: 500, max: 2_000 } },
      products: { count: 1 },
      suppliers: { productsMin: 1, productsMax: 1 },
    };
    const loop = loopFor(broke, 1, 10);
    const line = JSON.parse(serializeSnapshotLine(loop.latest()!, undefined)) as SnapshotLineInput;
    expect(line.business.budget).toMatchObject({ evolutionPercent: null });
    const samples = await createLineMetrics(50).read(line, 10_000);
    const live = await samplesOf(loop);
    const names = (list: { name: string; labels: Record<string, string> }[]) =>
      new Set(
        list
          .filter((x) => x.name.startsWith('tradesim_budget') || x.name === 'tradesim_product_price')
          .map((x) => `${x.name}${JSON.stringify(x.labels)}`),
      );
    // The Gini and the median are computed on read: a line has neither (docs/prometheus.md).
    const onRead = (x: { name: string; labels: Record<string, string> }) =>
      x.name === 'tradesim_budget_gini' || x.labels.stat === 'median';
    expect(names(samples.map((x) => ({ name: x.name, labels: { ...x.labels } })))).toEqual(
      names(live.filter((x) => !onRead(x))),
    );
    expect(samples.some((x) => x.name === 'tradesim_budget_evolution_ratio')).toBe(false);
  });

  it('a first turn has no rate over time, a cache never asked has no hit ratio', async () => {
    const loop = loopFor('classic', 1, 1);
    const { performance } = loop.latest()!;
    expect(performance.window.turnsPerSecond).toBeNaN();
    expect(performance.window.transactionsPerSecond).toBeNaN();
    expect(performance.cacheHitRatio).toBeNaN();
    const names = new Set((await samplesOf(loop)).map((s) => s.name));
    for (const name of [
      'tradesim_turns_per_second',
      'tradesim_transactions_per_second',
      'tradesim_stats_cache_hit_ratio',
    ])
      expect(names.has(name), name).toBe(false);
  });

  it('a first turn has no price volatility and no correlation; budgets all at 0 have no Gini', async () => {
    const first = loopFor('classic', 1, 1).latest()!;
    expect(first.product.volatility).toBeNaN();
    expect(first.transaction.window.budgetVolumeCorrelation).toBeNaN();
    const names = new Set((await samplesOf(loopFor('classic', 1, 1))).map((s) => s.name));
    expect(names.has('tradesim_price_volatility_ratio')).toBe(false);
    const second = loopFor('classic', 1, 2).latest()!;
    expect(second.product.volatility).toBeGreaterThanOrEqual(0);
    // Companies in the market with nothing: no money to share out, no inequality to measure.
    const broke = loopFor({ companies: { budgetMin: 0, budgetMax: 0 }, households: { spendRate: 0 } }, 1, 3);
    expect(broke.latest()!.budget.total).toBe(0);
    expect(broke.latest()!.budget.gini).toBeNaN();
    expect(new Set((await samplesOf(broke)).map((s) => s.name)).has('tradesim_budget_gini')).toBe(false);
  });

  it('a product type with no product has no price range, a world with no money no mean budget', async () => {
    // One product: two of the three types have none.
    const loop = loopFor({ products: { count: 1 }, suppliers: { productsMin: 1, productsMax: 1 } }, 1, 5);
    const { product } = loop.latest()!;
    const empty = Object.entries(product.priceByType).filter(([, range]) => Number.isNaN(range.mean));
    expect(empty).toHaveLength(2);
    const text = (await createExporter({ loop, seriesBudget: 50 }).render()).body;
    expect(text).not.toMatch(/^tradesim_.* Nan$/m);
    const prices = parseExposition(text).filter((s) => s.name === 'tradesim_product_price');
    for (const [type] of empty) expect(prices.filter((s) => s.labels.type === type)).toEqual([]);
    expect(prices.filter((s) => s.labels.type === 'all')).toHaveLength(3);
  });

  it('an SLO with no event in its window has no SLI and no burn rate', async () => {
    // Nobody is ever drawn to buy: no purchase attempt, no event of purchase_success.
    const quiet = { market: { selectionProbability: 0 }, calendar: { hourly: Array<number>(24).fill(1) } };
    const loop = loopFor(quiet, 1, 10);
    expect(loop.latest()!.slo.sli.purchase_success).toBeNaN();
    const samples = await samplesOf(loop);
    const of = (name: string) => samples.filter((s) => s.name === name && s.labels.slo === 'purchase_success');
    expect(of('tradesim_slo_sli_ratio')).toEqual([]);
    expect(of('tradesim_slo_burn_rate')).toEqual([]);
    // An SLO with events has both.
    expect(samples.some((s) => s.name === 'tradesim_slo_sli_ratio' && s.labels.slo === 'solvency')).toBe(true);
  });

  it('every product listed by name leaves no other products to take the mean price of', async () => {
    // By turn 50 each of classic's 12 products has sold: all are in the top list.
    const loop = loopFor('classic', 1, 50);
    const snapshot = loop.latest()!;
    expect(snapshot.product.topBySales).toHaveLength(snapshot.product.count);
    expect(foldEntities(snapshot, 50).productPrice.map((e) => e.id)).not.toContain(OTHER_LABEL);
    const prices = (await samplesOf(loop)).filter((s) => s.name === 'tradesim_product_current_price');
    expect(prices.map((s) => s.labels.product)).not.toContain(OTHER_LABEL);
    expect(prices).toHaveLength(snapshot.product.count);
  });
});
