import { FULFILMENT_BUCKETS } from '../../services/index.js';
import { EVENT_TYPES, FAILURE_REASONS } from '../../simulation/index.js';
import { byKey, fromSnapshot, one } from './readers.js';
import { counter as c, gauge as g, type MetricDefinition } from './metric-definition.js';

/** What happens in turns: transactions, orders that wait, events and alerts. */
// Every declaration has one shape (name, unit, labels, help, reader): the list is data.
export const ACTIVITY_METRICS = [
  // --- transactions ---
  c(
    'tradesim_transactions_total',
    'transactions',
    ['outcome', 'reason'],
    'Purchase attempts since the start: outcome success (reason none) or failure with its reason.',
    {
      read: fromSnapshot((s) => [
        [{ outcome: 'success', reason: 'none' }, s.transaction.totals.successes],
        ...FAILURE_REASONS.map(
          (r) => [{ outcome: 'failure', reason: r }, s.transaction.totals.failuresByReason[r]] as const,
        ),
      ]),
      turnIncrease: (s, labels) =>
        labels.outcome === 'success'
          ? s.transaction.successes
          : (s.transaction.failuresByReason[labels.reason as keyof typeof s.transaction.failuresByReason] ?? 0),
    },
  ),
  c('tradesim_traded_amount_total', 'currency units', [], 'Money paid in successful purchases since the start.', {
    read: fromSnapshot((s) => one(s.transaction.totals.amount)),
    turnIncrease: (s) => s.transaction.amount,
  }),
  c('tradesim_traded_units_total', 'units', [], 'Units bought in successful purchases since the start.', {
    read: fromSnapshot((s) => one(s.transaction.totals.quantity)),
    turnIncrease: (s) => s.transaction.quantity,
  }),
  g(
    'tradesim_transaction_success_ratio',
    'ratio',
    [],
    'Successful purchase attempts / attempts in the last turn (no sample on a turn without attempts).',
    { read: fromSnapshot((s) => one(s.transaction.successRate)) },
  ),
  g(
    'tradesim_transactions_per_second',
    'transactions/s',
    [],
    'Purchase attempts per second over the statistics window.',
    { read: fromSnapshot((s) => one(s.performance.window.transactionsPerSecond)) },
  ),
  {
    name: 'tradesim_transaction_amount',
    type: 'histogram',
    unit: 'currency units',
    labels: [],
    help: 'Amount of each successful purchase (worlds that keep the transaction list).',
    group: 'business',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000],
  },
  {
    name: 'tradesim_transaction_quantity_units',
    type: 'histogram',
    unit: 'units',
    labels: [],
    help: 'Units in each successful purchase (worlds that keep the transaction list).',
    group: 'business',
    buckets: [1, 2, 3, 5, 10, 20, 50, 100],
  },

  // --- orders that wait (backorders) ---
  c(
    'tradesim_orders_total',
    'orders',
    ['outcome'],
    'Backorders since the start, by outcome: placed (queued when every offer was out of stock), filled, cancelled (patience, a buyer that cannot pay, an exit), dropped (a full queue), late (turned late while waiting).',
    {
      read: fromSnapshot((s) => {
        const o = s.market.orders;
        return [
          [{ outcome: 'placed' }, o.placedTotal],
          [{ outcome: 'filled' }, o.filledTotal],
          [{ outcome: 'cancelled' }, o.cancelledTotal],
          [{ outcome: 'dropped' }, o.droppedTotal],
          [{ outcome: 'late' }, o.lateTotal],
        ];
      }),
    },
  ),
  g('tradesim_order_backlog_orders', 'orders', [], 'Backorders waiting after the last turn.', {
    read: fromSnapshot((s) => one(s.market.orders.backlogOrders)),
  }),
  g('tradesim_order_backlog_units', 'units', [], 'Units the waiting backorders wait for.', {
    read: fromSnapshot((s) => one(s.market.orders.backlogUnits)),
  }),
  g(
    'tradesim_order_backlog_value',
    'currency units',
    [],
    "Units the waiting backorders wait for, at their products' current prices.",
    { read: fromSnapshot((s) => one(s.market.orders.backlogValue)) },
  ),
  g(
    'tradesim_order_oldest_age_seconds',
    'seconds',
    [],
    'Simulated seconds the oldest waiting backorder has waited (0 when none waits).',
    { read: fromSnapshot((s) => one(s.market.orders.oldestAgeSeconds)) },
  ),
  {
    name: 'tradesim_order_fulfilment_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: [],
    help: 'Simulated seconds each filled backorder waited, from the turn it was placed to the turn its last unit came (turns x the calendar turn).',
    group: 'business',
    // The services keep these buckets (an hour to a week): one list for both.
    buckets: FULFILMENT_BUCKETS.map(([, le]) => le),
    readBuckets: (s) => {
      const f = s.market.orders.fulfilment;
      const name = 'tradesim_order_fulfilment_seconds';
      return [
        ...FULFILMENT_BUCKETS.map(([key, le]) => [{ le }, f.buckets[key], `${name}_bucket`] as const),
        [{ le: '+Inf' }, f.countTotal, `${name}_bucket`],
        [{}, f.sumSecondsTotal, `${name}_sum`],
        [{}, f.countTotal, `${name}_count`],
      ];
    },
  },

  // --- events and alerts ---
  c('tradesim_events_total', 'events', ['type'], 'Market events applied since the start, by type.', {
    read: fromSnapshot((s) => byKey('type', EVENT_TYPES, (k) => s.event.counts[k])),
  }),
  g(
    'tradesim_alerts_active',
    'alerts',
    ['rule', 'severity', 'state'],
    'In-process threshold alerts now pending or firing (1 per rule).',
    {
      read: fromSnapshot((s) =>
        s.alerts.active.map((a) => [{ rule: a.rule, severity: a.severity, state: a.state }, 1] as const),
      ),
    },
  ),
  c(
    'tradesim_alert_transitions_total',
    'transitions',
    ['rule', 'state'],
    'Alert state changes since the start, by rule and the state entered.',
    {
      read: (src) =>
        [...src.alertTransitions.values()].map((t) => [{ rule: t.rule, state: t.state }, t.count] as const),
    },
  ),
  g(
    'tradesim_alert_firing',
    'alerts',
    ['rule', 'severity', 'fired_turn'],
    'One series per in-process firing: 1 while it fires and for --alert-hold seconds after it resolves, so Prometheus sees even a one-turn firing exactly once; then 0 for as long again, so a resolution is told from a failed scrape.',
    {
      read: (src) =>
        src.firings.map(
          (f) => [{ rule: f.rule, severity: f.severity, fired_turn: String(f.firedTurn) }, f.value] as const,
        ),
    },
  ),
  c(
    'tradesim_alert_firings_dropped_total',
    'firings',
    ['rule'],
    'Resolved firings dropped before they settled at 0 (more than 20 of one rule held or settling at once).',
    { read: (src) => [...src.firingsDropped].map(([rule, count]) => [{ rule }, count] as const) },
  ),
] as const satisfies readonly MetricDefinition[];
