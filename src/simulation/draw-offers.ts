import { COUNTRIES } from './geography.js';
import { createUniqueNames, supplierName } from './names.js';
import type { Rng } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import type { SupplierInfo } from './world.js';

/**
 * The most offers a world can have: each supplier draws at most `productsMax` products, and
 * each product no supplier drew gets one more offer (drawSuppliers), so every product is sold.
 */
export const maxOffers = (suppliers: number, productsMax: number, products: number): number =>
  suppliers * productsMax + products;

/** The suppliers and their offers as drawn, parallel arrays indexed by offer. */
export interface DrawnOffers {
  readonly suppliers: readonly SupplierInfo[];
  readonly offerSupplier: number[];
  readonly offerProduct: number[];
  readonly offerStock: number[];
  readonly offerMarkup: number[];
}

type DrawnSupplier = Omit<SupplierInfo, 'offers'> & { offers: number[] };
type OfferColumns = Omit<DrawnOffers, 'suppliers'>;

function drawOffer(scenario: Scenario, rng: Rng, columns: OfferColumns, supplier: number, product: number): void {
  const sup = scenario.suppliers;
  columns.offerSupplier.push(supplier);
  columns.offerProduct.push(product);
  columns.offerStock.push(rng.int(sup.stockMin, sup.stockMax));
  columns.offerMarkup.push(rng.range(1 - sup.priceNoise, 1 + sup.priceNoise));
}

/**
 * Draws the scenario's suppliers and what each stocks, then gives every product nobody
 * stocks to a supplier drawn for it (no draw when every product is stocked, so such worlds
 * are as before). Offers come out numbered product by product (see orderByProduct).
 */
export function drawOffers(scenario: Scenario, rng: Rng, productIndices: readonly number[]): DrawnOffers {
  const sup = scenario.suppliers;
  const uniqueSupplier = createUniqueNames();
  const columns: OfferColumns = { offerSupplier: [], offerProduct: [], offerStock: [], offerMarkup: [] };
  const drawn: DrawnSupplier[] = [];
  for (let index = 0; index < sup.count; index++) {
    const country = rng.pick(COUNTRIES);
    const name = uniqueSupplier(supplierName(rng));
    const stocked = rng.sample(productIndices, rng.int(sup.productsMin, sup.productsMax));
    stocked.sort((a, b) => a - b);
    const offers: number[] = [];
    for (const product of stocked) {
      offers.push(columns.offerSupplier.length);
      drawOffer(scenario, rng, columns, index, product);
    }
    drawn.push({ index, id: `S${index + 1}`, name, country: country.name, continent: country.continent, offers });
  }
  const stocked = new Set(columns.offerProduct);
  for (const product of productIndices) {
    if (stocked.has(product)) continue;
    const supplier = drawn[rng.int(0, drawn.length - 1)]!;
    supplier.offers.push(columns.offerSupplier.length);
    drawOffer(scenario, rng, columns, supplier.index, product);
  }
  return { suppliers: orderByProduct(drawn, columns), ...columns };
}

/**
 * Renumbers the offers product by product (suppliers in order within a product), so a
 * buyer's scan of a product's offers reads consecutive memory; reorders `columns` in place
 * and returns the suppliers frozen with their offers renumbered.
 */
function orderByProduct(drawn: readonly DrawnSupplier[], columns: OfferColumns): SupplierInfo[] {
  const { offerProduct } = columns;
  const byProduct = offerProduct.map((_, offer) => offer).sort((a, b) => offerProduct[a]! - offerProduct[b]! || a - b);
  const renumbered = new Int32Array(byProduct.length);
  byProduct.forEach((old, offer) => (renumbered[old] = offer));
  const reorder = (values: number[]): void => {
    const copy = byProduct.map((old) => values[old]!);
    for (let i = 0; i < copy.length; i++) values[i] = copy[i]!;
  };
  const suppliers: SupplierInfo[] = drawn.map((s) =>
    Object.freeze({ ...s, offers: Object.freeze(s.offers.map((old) => renumbered[old]!).sort((a, b) => a - b)) }),
  );
  for (const values of [columns.offerSupplier, offerProduct, columns.offerStock, columns.offerMarkup]) reorder(values);
  return suppliers;
}
