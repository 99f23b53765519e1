/** Business: money, companies, prices, goods, the top entities, events and alerts. */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { annotation, dashboard, ofRun, rate, sel, table, timeseries } from './panels.js';

export const business = () =>
  dashboard(
    'tradesim-business',
    'TradeSim / Business',
    'The simulated market: budgets and companies, prices, stock and demand, the top companies, products and suppliers, events and alerts. Market events, shocks and firing alerts are annotations.',
  )
    .annotation(
      annotation(
        'Market events',
        'blue',
        `sum by (type) (${ofRun(`increase(${sel('tradesim_events_total')}[1m])`)}) > 0`,
        '{{type}}',
        'market event',
      ),
    )
    .annotation(
      annotation(
        'Shocks',
        'red',
        `${ofRun(`changes(${sel('tradesim_shocks_in_force')}[1m])`)} > 0`,
        'shocks in force changed',
        'timeline shock',
      ),
    )
    .annotation(
      annotation(
        'Alerts firing',
        'orange',
        `${ofRun(sel('tradesim_alert_firing'))} == 1`,
        '{{rule}}',
        '{{rule}} fired at turn {{fired_turn}}',
      ),
    )
    .withRow(new RowBuilder('Money'))
    .withPanel(
      timeseries(
        'Budgets and household money',
        "Companies' total budget, its initial amount, and the money households hold.",
        'currencyUSD',
        [
          { expr: ofRun(sel('tradesim_budget', 'stat="total"')), legend: 'companies, total' },
          { expr: ofRun(sel('tradesim_budget', 'stat="initial_total"')), legend: 'companies, initial' },
          { expr: ofRun(sel('tradesim_household_money')), legend: 'households' },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'Revenue and spending per second',
        'Money households pay companies, and companies pay suppliers.',
        'currencyUSD',
        [
          { expr: `sum(${rate('tradesim_revenue_total')})`, legend: 'revenue' },
          { expr: `sum(${rate('tradesim_traded_amount_total')})`, legend: 'purchases' },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'Companies by budget state',
        'Prosperous, stable, struggling, insolvent.',
        'none',
        [{ expr: `sum by (state) (${ofRun(sel('tradesim_companies'))})`, legend: '{{state}}' }],
        { stacked: true },
      ),
    )
    .withPanel(
      timeseries(
        'Entries, exits and budget inequality',
        'Companies entering and leaving per second; Gini of budgets.',
        'none',
        [
          { expr: `sum(${rate('tradesim_company_entries_total')})`, legend: 'entries/s' },
          { expr: `sum(${rate('tradesim_company_exits_total')})`, legend: 'exits/s' },
          { expr: ofRun(sel('tradesim_budget_gini')), legend: 'Gini' },
        ],
      ),
    )
    .withRow(new RowBuilder('Prices'))
    .withPanel(
      timeseries('Price index: listed and paid', '100 = base prices. Paid prices include the stock factor.', 'none', [
        { expr: ofRun(sel('tradesim_price_index')), legend: 'listed' },
        { expr: ofRun(sel('tradesim_paid_price_index')), legend: 'paid' },
      ]),
    )
    .withPanel(
      timeseries('Mean price by product type', 'Mean current price of the products of each type.', 'currencyUSD', [
        { expr: ofRun(sel('tradesim_product_price', 'stat="mean",type!="all"')), legend: '{{type}}' },
      ]),
    )
    .withRow(new RowBuilder('Goods and demand'))
    .withPanel(
      timeseries(
        "Suppliers' stock by product type",
        'Units in stock; orders in transit arrive after their lead time.',
        'none',
        [
          { expr: `sum by (type) (${ofRun(sel('tradesim_supplier_stock_units'))})`, legend: '{{type}}' },
          { expr: ofRun(sel('tradesim_orders_in_transit_units')), legend: 'in transit' },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Suppliers' cover and the industry report",
        "Turns of long-run sales the suppliers' stock covers, as the industry report records it (no line without one), and the cover they aim for: leaned against the report read a day late, it drives the inventory cycle.",
        'none',
        [
          { expr: ofRun(sel('tradesim_supply_cover_turns')), legend: 'recorded' },
          { expr: ofRun(sel('tradesim_supply_cover_target_turns')), legend: 'aimed for' },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'Scarcity and demand',
        'Offers with no unit left, units bought over units wanted, and the demand index.',
        'none',
        [
          { expr: ofRun(sel('tradesim_out_of_stock_offers')), legend: 'out-of-stock offers' },
          { expr: ofRun(sel('tradesim_fill_ratio')), legend: 'fill ratio' },
          { expr: ofRun(sel('tradesim_demand_index')), legend: 'demand index' },
        ],
      ),
    )
    .withRow(new RowBuilder('Top companies, products and suppliers'))
    .withPanel(
      table(
        'Top companies by spending',
        'The top spenders, with their budget, continent and strategy.',
        'currencyUSD',
        {
          expr: `sort_desc(${ofRun(sel('tradesim_company_budget', 'company!="__other__"'))} * on (job, instance, run, company) group_left (continent, strategy) ${sel('tradesim_company_info')})`,
        },
      ),
    )
    .withPanel(
      table('Top products by units sold', 'The best sellers, with their type.', 'none', {
        expr: `sort_desc(${ofRun(sel('tradesim_product_units_sold', 'product!="__other__"'))} * on (job, instance, run, product) group_left (type) ${sel('tradesim_product_info')})`,
      }),
    )
    .withPanel(
      table('Top suppliers by units sold', 'The suppliers that sold most, with their continent.', 'none', {
        expr: `sort_desc(${ofRun(sel('tradesim_supplier_units_sold', 'supplier!="__other__"'))} * on (job, instance, run, supplier) group_left (continent) ${sel('tradesim_supplier_info')})`,
      }),
    )
    .withRow(new RowBuilder('Events and alerts'))
    .withPanel(
      timeseries('Market events per second', 'Events applied, by type.', 'none', [
        { expr: `sum by (type) (${rate('tradesim_events_total')})`, legend: '{{type}}' },
        { expr: ofRun(sel('tradesim_shocks_in_force')), legend: 'shocks in force' },
      ]),
    )
    .withPanel(
      timeseries('In-process alerts', 'Rules pending or firing now, by rule and state.', 'none', [
        { expr: `sum by (rule, state) (${ofRun(sel('tradesim_alerts_active'))})`, legend: '{{rule}} {{state}}' },
        // The forwarded firings at 1 (what business_alerts.yml alerts on): there on scraped, pushed and backfilled runs alike.
        {
          expr: `count by (rule) (${ofRun(sel('tradesim_alert_firing'))} == 1)`,
          legend: '{{rule}} firing (forwarded)',
        },
      ]),
    );
