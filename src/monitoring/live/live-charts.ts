/** One line of a chart: a figure of the services, its legend and its axis. */
export interface ChartSeries {
  readonly figure: string;
  readonly label: string;
  /** Which of the chart's two y axes it is drawn against (0 left, 1 right). */
  readonly axis: 0 | 1;
  /** Drawn times this (seconds as milliseconds); the data stays in the figure's unit. */
  readonly scale?: number;
}

/** One chart of the live page. */
export interface ChartDefinition {
  readonly id: string;
  readonly title: string;
  /** The units of the left and right axes. */
  readonly units: readonly [string, string?];
  readonly series: readonly ChartSeries[];
}

const line = (figure: string, label: string, axis: 0 | 1 = 0): ChartSeries => ({ figure, label, axis });

/**
 * The charts of the live page, each a few figures of the services' history (all of them
 * historized, so the last turns can be read at full resolution).
 */
export const LIVE_CHARTS: readonly ChartDefinition[] = [
  {
    id: 'budget',
    title: 'Total budget and companies by state',
    units: ['currency', 'companies'],
    series: [
      line('budget.total', 'total budget'),
      line('budget.companiesByState.prosperous', 'prosperous', 1),
      line('budget.companiesByState.stable', 'stable', 1),
      line('budget.companiesByState.struggling', 'struggling', 1),
      line('budget.companiesByState.insolvent', 'insolvent', 1),
    ],
  },
  {
    id: 'prices',
    title: 'Price index, listed and paid',
    units: ['index'],
    series: [line('product.priceIndex', 'listed'), line('market.paidPriceIndex', 'paid')],
  },
  {
    id: 'transactions',
    title: 'Purchase attempts, successes and failures by reason',
    units: ['attempts per turn'],
    series: [
      line('transaction.attempts', 'attempts'),
      line('transaction.successes', 'successes'),
      line('transaction.failuresByReason.out_of_stock', 'out of stock'),
      line('transaction.failuresByReason.insufficient_budget', 'insufficient budget'),
      line('transaction.failuresByReason.no_supplier', 'no supplier'),
      line('transaction.failuresByReason.inactive_product', 'inactive product'),
    ],
  },
  {
    id: 'supply',
    title: 'Supplier stock, in transit, out-of-stock offers, backlog',
    units: ['units', 'offers, orders'],
    series: [
      line('supplier.totalStock', 'stock'),
      line('market.inTransit', 'in transit'),
      line('supplier.outOfStockOffers', 'out-of-stock offers', 1),
      line('market.orders.backlogOrders', 'backlog', 1),
    ],
  },
  {
    id: 'cover',
    title: "Suppliers' cover, reported and aimed for",
    units: ['turns of sales'],
    series: [line('market.supplyCover', 'recorded'), line('market.supplyCoverTarget', 'aimed for')],
  },
  {
    id: 'slo',
    title: 'SLOs: lowest error budget left, fastest 1 h burn',
    units: ['budget left', 'burn rate'],
    series: [line('slo.lowestBudgetRemaining', 'error budget left'), line('slo.fastestBurnRate1h', 'burn rate 1 h', 1)],
  },
  {
    id: 'turn',
    title: 'Turn duration',
    units: ['milliseconds'],
    series: [{ ...line('performance.turnSeconds', 'turn duration'), scale: 1000 }],
  },
];

/** Every figure the charts draw, in chart order: the columns of the live page's data. */
export const LIVE_FIGURES: readonly string[] = LIVE_CHARTS.flatMap((c) => c.series.map((s) => s.figure));
