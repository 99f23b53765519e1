/**
 * What a turn changed, one record per change in the order the changes happened, each with
 * the values after it. Readers update their figures from these records instead of going
 * back to the per-entity arrays: the engine writes each record while the entity's data is
 * at hand, and reading the records walks consecutive memory. On large worlds that makes the
 * difference, since the turn itself evicts the per-entity arrays from the caches.
 * Cleared at the start of each turn; the buffers grow when a turn needs more records.
 */

/** Grows a typed array to `size`, keeping its first entries. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/**
 * Changes to companies: budget (purchases, refills, exits and entries), spend and purchase
 * count (purchases). The households' operations (sales, fixed costs, dividends) are not
 * journaled: they move every budget every turn, so readers of budgets take them whole.
 */
export class CompanyJournal {
  declare count: number;
  /** The company each record is about. */
  declare company: Int32Array;
  /** Its budget after the change, and the change (cents; negative for a purchase). */
  declare budgetCents: Float64Array;
  declare budgetChangeCents: Float64Array;
  /** Its cumulative spend (cents) and successful purchases after the change. */
  declare spentCents: Float64Array;
  declare purchases: Float64Array;
  /** 1 when the change was a purchase: purchases went up by one. */
  declare purchased: Uint8Array;
  /**
   * The company's initial budget (cents), for readers that compare a budget with its
   * start: the engine has it at hand, a reader would have to look it up.
   */
  declare initialBudgetCents: Float64Array;

  constructor(capacity: number) {
    this.count = 0;
    this.company = new Int32Array(Math.max(1, capacity));
    this.budgetCents = new Float64Array(this.company.length);
    this.budgetChangeCents = new Float64Array(this.company.length);
    this.spentCents = new Float64Array(this.company.length);
    this.purchases = new Float64Array(this.company.length);
    this.purchased = new Uint8Array(this.company.length);
    this.initialBudgetCents = new Float64Array(this.company.length);
  }

  add(
    company: number,
    budgetCents: number,
    budgetChangeCents: number,
    spentCents: number,
    purchases: number,
    purchased: 0 | 1,
    initialBudgetCents: number,
  ): void {
    const i = this.count;
    if (i === this.company.length) this.grow();
    this.company[i] = company;
    this.budgetCents[i] = budgetCents;
    this.budgetChangeCents[i] = budgetChangeCents;
    this.spentCents[i] = spentCents;
    this.purchases[i] = purchases;
    this.purchased[i] = purchased;
    this.initialBudgetCents[i] = initialBudgetCents;
    this.count = i + 1;
  }

  private grow(): void {
    const size = 2 * this.company.length;
    this.company = grown(this.company, size);
    this.budgetCents = grown(this.budgetCents, size);
    this.budgetChangeCents = grown(this.budgetChangeCents, size);
    this.spentCents = grown(this.spentCents, size);
    this.purchases = grown(this.purchases, size);
    this.purchased = grown(this.purchased, size);
    this.initialBudgetCents = grown(this.initialBudgetCents, size);
  }
}

/** Changes to offers' stock: purchases take units, restocks and refills add them. */
export class OfferJournal {
  declare count: number;
  /** The offer each record is about, and that offer's product and supplier. */
  declare offer: Int32Array;
  declare product: Int32Array;
  declare supplier: Int32Array;
  /** Its stock after the change, and the change (units; negative for a purchase). */
  declare stock: Float64Array;
  declare stockChange: Float64Array;

  constructor(capacity: number) {
    this.count = 0;
    this.offer = new Int32Array(Math.max(1, capacity));
    this.product = new Int32Array(this.offer.length);
    this.supplier = new Int32Array(this.offer.length);
    this.stock = new Float64Array(this.offer.length);
    this.stockChange = new Float64Array(this.offer.length);
  }

  // The offers' journal mirrors the companies' one above: two record types, one append pattern.
  add(offer: number, product: number, supplier: number, stock: number, stockChange: number): void {
    const i = this.count;
    if (i === this.offer.length) this.grow();
    this.offer[i] = offer;
    this.product[i] = product;
    this.supplier[i] = supplier;
    this.stock[i] = stock;
    this.stockChange[i] = stockChange;
    this.count = i + 1;
  }

  private grow(): void {
    const size = 2 * this.offer.length;
    this.offer = grown(this.offer, size);
    this.product = grown(this.product, size);
    this.supplier = grown(this.supplier, size);
    this.stock = grown(this.stock, size);
    this.stockChange = grown(this.stockChange, size);
  }
}

/** A read-only view of a turn's company records: the first `count` entries are valid. */
export interface CompanyChanges {
  readonly count: number;
  readonly company: ArrayLike<number>;
  readonly budgetCents: ArrayLike<number>;
  readonly budgetChangeCents: ArrayLike<number>;
  readonly spentCents: ArrayLike<number>;
  readonly purchases: ArrayLike<number>;
  readonly purchased: ArrayLike<number>;
  readonly initialBudgetCents: ArrayLike<number>;
}

/** A read-only view of a turn's offer records: the first `count` entries are valid. */
export interface OfferChanges {
  readonly count: number;
  readonly offer: ArrayLike<number>;
  readonly product: ArrayLike<number>;
  readonly supplier: ArrayLike<number>;
  readonly stock: ArrayLike<number>;
  readonly stockChange: ArrayLike<number>;
}
