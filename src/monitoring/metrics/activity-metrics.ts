import { FULFILMENT_BUCKETS } from '../../services/index.js';
import { counter as c, gauge as g, type MetricDefinition } from './metric-definition.js';

/** What happens in turns: transactions, orders that wait, events and alerts. */
export const ACTIVITY_METRICS = [
  // --- transactions ---
  c(
    'tradesim_transactions_total',
    'transactions',
    ['outcome', 'reason'],
    'Purchase attempts since the start: outcome success (reason none) or failure with its reason.',
  ),
  c('tradesim_traded_amount_total', 'currency units', [], 'Money paid in successful purchases since the start.'),
  c('tradesim_traded_units_total', 'units', [], 'Units bought in successful purchases since the start.'),
  g(
    'tradesim_transaction_success_ratio',
    'ratio',
    [],
    'Successful purchase attempts / attempts in the last turn (0 without attempts).',
  ),
  g(
    'tradesim_transactions_per_second',
    'transactions/s',
    [],
    'Purchase attempts per second over the statistics window.',
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
  ),
  g('tradesim_order_backlog_orders', 'orders', [], 'Backorders waiting after the last turn.'),
  g('tradesim_order_backlog_units', 'units', [], 'Units the waiting backorders wait for.'),
  g(
    'tradesim_order_backlog_value',
    'currency units',
    [],
    "Units the waiting backorders wait for, at their products' current prices.",
  ),
  g(
    'tradesim_order_oldest_age_seconds',
    'seconds',
    [],
    'Simulated seconds the oldest waiting backorder has waited (0 when none waits).',
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
  },

  // --- events and alerts ---
  c('tradesim_events_total', 'events', ['type'], 'Market events applied since the start, by type.'),
  g(
    'tradesim_alerts_active',
    'alerts',
    ['rule', 'severity', 'state'],
    'In-process threshold alerts now pending or firing (1 per rule).',
  ),
  c(
    'tradesim_alert_transitions_total',
    'transitions',
    ['rule', 'state'],
    'Alert state changes since the start, by rule and the state entered.',
  ),
  g(
    'tradesim_alert_firing',
    'alerts',
    ['rule', 'severity', 'fired_turn'],
    'One series per in-process firing: 1 while it fires and for --alert-hold seconds after it resolves, so Prometheus sees even a one-turn firing exactly once.',
  ),
  c(
    'tradesim_alert_firings_dropped_total',
    'firings',
    ['rule'],
    'Resolved firings dropped before their hold ended (more than 20 of one rule held at once).',
  ),
] as const satisfies readonly MetricDefinition[];
