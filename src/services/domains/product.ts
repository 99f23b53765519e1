import { PRODUCT_TYPES, type ProductType } from '../../simulation/index.js';
import { recordOf } from '../figures/figures.js';
import { defineLazyFigures } from '../figures/lazy-figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import type { Summary } from '../history/statistics.js';
import { createTopRanking, type TopRanking } from './top-ranking.js';

/** Mean, lowest and highest price of a set of products, currency units (NaN when empty). */
export interface PriceRange {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** One product in the best-sellers list. */
export interface TopProduct {
  readonly id: string;
  readonly name: string;
  readonly type: ProductType;
  readonly unitsSold: number;
  /** Current price, currency units. */
  readonly price: number;
}

/** Product figures for one turn. */
export interface ProductFigures {
  readonly count: number;
  readonly active: number;
  readonly inactive: number;
  readonly activeByType: Readonly<Record<ProductType, number>>;
  readonly price: PriceRange;
  readonly priceByType: Readonly<Record<ProductType, PriceRange>>;
  /**
   * 100 x sum of current prices / sum of base prices (a base-price-weighted index); absent
   * (NaN) on a turn with no product listed (every one withdrawn): nothing to measure.
   */
  readonly priceIndex: number;
  /** Products holding an inflated price. */
  readonly inflated: number;
  /** Products declining back after an inflation. */
  readonly declining: number;
  /** Units sold since the start, all products. */
  readonly unitsSoldTotal: number;
  /** The products that sold most units since the start, most first (at most `topN`). */
  readonly topBySales: readonly TopProduct[];
  /** Coefficient of variation of the price index over the statistics window (computed on read). */
  readonly volatility: number;
}

/** Running sums of the prices of a set of products (one per product type, one for all). */
class PriceAccumulator {
  sum = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;

  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = 0;
  }

  add(price: number): void {
    this.sum += price;
    this.count += 1;
    if (price < this.min) this.min = price;
    if (price > this.max) this.max = price;
  }

  range(): PriceRange {
    return this.count === 0
      ? { mean: Number.NaN, min: Number.NaN, max: Number.NaN }
      : { mean: this.sum / this.count, min: this.min, max: this.max };
  }
}

const makeProductFigures = defineLazyFigures(['volatility']);

/** The price index's volatility: absent until the window holds two (one index varies by nothing). */
const volatilityOf = ({ count, cv }: Summary): number => (count >= 2 ? cv : Number.NaN);

/** The product service: availability, prices by type, the price index and its volatility. */
export function productService(volatilityWindow: number, topN: number): ServiceDefinition<ProductFigures> {
  let ranking: TopRanking | undefined;
  // Scratch sums, reset each turn: the figures get fresh ranges made from them.
  const all = new PriceAccumulator();
  const byType = PRODUCT_TYPES.map(() => new PriceAccumulator());
  const activeByType = new Int32Array(PRODUCT_TYPES.length);
  // The last top-list entry made for each product.
  const topEntries: (TopProduct | undefined)[] = [];
  let fixed: { readonly typeOf: Uint8Array; readonly baseSum: number } | undefined;
  return {
    name: 'product',
    compute({ world }, _earlier, window) {
      all.reset();
      for (const acc of byType) acc.reset();
      activeByType.fill(0);
      // Base prices and types never change: taken once, so the walk below reads typed arrays
      // only (the product records are scattered objects, cold by the end of a large turn).
      if (!fixed || fixed.typeOf.length !== world.products.length) {
        fixed = {
          typeOf: Uint8Array.from(world.products, (p) => p.typeIndex),
          baseSum: world.products.reduce((sum, p) => sum + p.basePrice, 0),
        };
      }
      const { typeOf, baseSum } = fixed;
      const { prices } = world;
      let active = 0;
      let inflated = 0;
      let declining = 0;
      for (let p = 0; p < typeOf.length; p++) {
        const price = prices[p]!;
        const type = typeOf[p]!;
        all.add(price);
        byType[type]!.add(price);
        if (world.active[p] === 1) {
          active += 1;
          activeByType[type]! += 1;
        }
        const phase = world.inflationPhase(p);
        if (phase === 'hold') inflated += 1;
        else if (phase === 'decline') declining += 1;
      }
      let unitsSoldTotal = 0;
      for (let p = 0; p < world.products.length; p++) unitsSoldTotal += world.unitsSold[p]!;
      // Units sold grow on most products every turn: ranking them all afresh is a walk
      // over one array, as the scan above is. They never fall, so the list's floor holds.
      ranking ??= createTopRanking(topN, world.products.length);
      ranking.refresh(world.unitsSold);
      const topBySales = ranking.indices.map((p) => {
        const unitsSold = world.unitsSold[p]!;
        const price = world.prices[p]!;
        // An entry that did not change is the same frozen object as last turn's.
        const kept = topEntries[p];
        if (kept && kept.unitsSold === unitsSold && kept.price === price) return kept;
        const x = world.products[p]!;
        return (topEntries[p] = Object.freeze({ id: x.id, name: x.name, type: x.type, unitsSold, price }));
      });
      return makeProductFigures(
        {
          count: world.products.length,
          active,
          inactive: world.products.length - active,
          activeByType: recordOf(PRODUCT_TYPES, (_, t) => activeByType[t]!),
          price: all.range(),
          priceByType: recordOf(PRODUCT_TYPES, (_, t) => byType[t]!.range()),
          priceIndex: baseSum === 0 || active === 0 ? Number.NaN : (100 * all.sum) / baseSum,
          inflated,
          declining,
          unitsSoldTotal,
          topBySales,
        },
        { volatility: () => volatilityOf(window.summary('priceIndex', volatilityWindow)) },
      );
    },
  };
}
