import { BURN_WINDOWS } from '../../services/index.js';
import { PRODUCT_TYPES } from '../../simulation/index.js';
import { byKey, bySlo, fromFold, fromSnapshot, listed, one } from './readers.js';
import { counter as c, gauge as g, type MetricDefinition } from './metric-definition.js';

/** The market's business metrics: suppliers and stock, households and supply, the SLOs. */
// Every declaration has one shape (name, unit, labels, help, reader): the list is data.
export const MARKET_METRICS = [
  // --- suppliers and stock ---
  g('tradesim_supplier_stock_units', 'units', ['type'], "Units in suppliers' stock by product type.", {
    read: fromSnapshot((s) => byKey('type', PRODUCT_TYPES, (k) => s.supplier.stockByType[k])),
  }),
  g(
    'tradesim_out_of_stock_products',
    'products',
    [],
    'Products stocked by some supplier but with no unit left anywhere.',
    { read: fromSnapshot((s) => one(s.supplier.outOfStockProducts)) },
  ),
  g('tradesim_out_of_stock_offers', 'offers', [], 'Offers (one product at one supplier) with no unit left.', {
    read: fromSnapshot((s) => one(s.supplier.outOfStockOffers)),
  }),
  g('tradesim_suppliers', 'suppliers', [], 'Suppliers in the market.', {
    read: fromSnapshot((s) => one(s.supplier.count)),
  }),
  g('tradesim_suppliers_with_stock', 'suppliers', [], 'Suppliers holding at least one unit.', {
    read: fromSnapshot((s) => one(s.supplier.suppliersWithStock)),
  }),
  g(
    'tradesim_supplier_units_sold',
    'units',
    ['supplier', 'name'],
    'Units each supplier sold since the start; those that sold most by name, the rest summed under __other__.',
    {
      read: fromFold('supplierUnitsSold', 'supplier'),
    },
  ),
  g(
    'tradesim_supplier_held_stock_units',
    'units',
    ['supplier', 'name'],
    'Units each supplier listed by tradesim_supplier_units_sold holds now; the rest summed under __other__.',
    {
      read: fromFold('supplierStock', 'supplier'),
    },
  ),
  g(
    'tradesim_supplier_info',
    '1',
    ['supplier', 'name', 'continent'],
    'Always 1 for each supplier listed by the per-supplier families; its labels say where it is (join on supplier).',
    {
      read: fromSnapshot((s, src) =>
        listed(s.supplier.topBySales, src).map(
          (e) => [{ supplier: e.id, name: e.name, continent: e.continent }, 1] as const,
        ),
      ),
    },
  ),

  // --- households, supply in transit, exits and entries ---
  g(
    'tradesim_demand_index',
    'index',
    [],
    "Households' demand index this turn: 1 is normal; the business cycle and shocks move it.",
    { read: fromSnapshot((s) => one(s.market.demandIndex)) },
  ),
  g(
    'tradesim_household_money',
    'currency units',
    [],
    'Money households hold: what they spend on companies is their revenue.',
    { read: fromSnapshot((s) => one(s.market.householdMoney)) },
  ),
  c('tradesim_revenue_total', 'currency units', [], 'Money households paid companies for goods since the start.', {
    read: fromSnapshot((s) => one(s.market.revenueTotal)),
  }),
  c('tradesim_consumed_units_total', 'units', [], 'Units households bought from companies since the start.', {
    read: fromSnapshot((s) => one(s.market.consumedUnitsTotal)),
  }),
  g(
    'tradesim_household_units_asked',
    'units',
    [],
    'Units households asked of companies this turn, bought or not for lack of stock.',
    { read: fromSnapshot((s) => one(s.market.unitsAsked)) },
  ),
  g(
    'tradesim_simulated_time_seconds',
    'seconds',
    [],
    'Simulated time at which the turn started (the scenario calendar), seconds since the Unix epoch.',
    { read: fromSnapshot((s) => one(s.market.simulatedTime)) },
  ),
  g(
    'tradesim_supply_cover_turns',
    'turns',
    [],
    "Suppliers' stock over their long-run sales, in turns, as the industry report records it (no sample without suppliers.reportLean).",
    { read: fromSnapshot((s) => one(s.market.supplyCover)) },
  ),
  g(
    'tradesim_supply_cover_target_turns',
    'turns',
    [],
    'The cover suppliers aim for this turn, in turns of expected sales: coverTurns leaned against the industry report.',
    { read: fromSnapshot((s) => one(s.market.supplyCoverTarget)) },
  ),
  g('tradesim_orders_in_transit_units', 'units', [], 'Units suppliers ordered that have not arrived yet.', {
    read: fromSnapshot((s) => one(s.market.inTransit)),
  }),
  g(
    'tradesim_fill_ratio',
    'ratio',
    [],
    "Units bought / units wanted by the last turn's buyers (no sample on a turn without buyers).",
    {
      read: fromSnapshot((s) => one(s.market.fillRate)),
    },
  ),
  g(
    'tradesim_paid_price_index',
    'index',
    [],
    'Prices actually paid in the last turn: 100 x amount paid / the same units at base prices (no sample without a purchase).',
    { read: fromSnapshot((s) => one(s.market.paidPriceIndex)) },
  ),
  c('tradesim_company_exits_total', 'companies', [], 'Companies that left the market insolvent since the start.', {
    read: fromSnapshot((s) => one(s.market.exitsTotal)),
  }),
  c('tradesim_company_entries_total', 'companies', [], 'New companies that took an empty slot since the start.', {
    read: fromSnapshot((s) => one(s.market.entriesTotal)),
  }),
  g('tradesim_companies_active', 'companies', [], 'Companies in the market (slots not left empty by an exit).', {
    read: fromSnapshot((s) => one(s.market.activeCompanies)),
  }),
  g('tradesim_shocks_in_force', 'shocks', [], 'Timeline shocks in force after the last turn, scheduled or live.', {
    read: fromSnapshot((s) => one(s.market.shocksInForce)),
  }),

  // --- business SLOs (one series per SLO of the scenario) ---
  g('tradesim_slo_objective_ratio', 'ratio', ['slo'], 'Share of the events an SLO wants good (0.95: 95 %).', {
    read: fromSnapshot((s) => bySlo(s.slo.objective)),
  }),
  c('tradesim_slo_events_total', 'events', ['slo'], "Events an SLO counted since the start (its total figure's sum).", {
    read: fromSnapshot((s) => bySlo(s.slo.eventsTotal)),
  }),
  c(
    'tradesim_slo_good_events_total',
    'events',
    ['slo'],
    "Good events an SLO counted since the start (its good figure's sum).",
    { read: fromSnapshot((s) => bySlo(s.slo.goodTotal)) },
  ),
  g('tradesim_slo_sli_ratio', 'ratio', ['slo'], "Good / all events over the SLO's window (no sample without events).", {
    read: fromSnapshot((s) => bySlo(s.slo.sli)),
  }),
  g(
    'tradesim_slo_error_budget_remaining_ratio',
    'ratio',
    ['slo'],
    "Error budget left over the SLO's window: 1 untouched, 0 spent, below 0 overspent (no sample without events).",
    { read: fromSnapshot((s) => bySlo(s.slo.errorBudgetRemaining)) },
  ),
  g(
    'tradesim_slo_burn_rate',
    'ratio',
    ['slo', 'window'],
    'Error ratio over the window / the ratio the SLO allows: 1 spends the budget in exactly the SLO window (no sample without events).',
    {
      read: fromSnapshot((s) =>
        Object.entries(s.slo.burnRate).flatMap(([slo, rates]) =>
          BURN_WINDOWS.map((window) => [{ slo, window }, rates[window]] as const),
        ),
      ),
    },
  ),
] as const satisfies readonly MetricDefinition[];
