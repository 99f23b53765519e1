/** Overview: the run's state and the four golden signals of the business (the exporter's are on the Exporter dashboard). */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, ofRun, rate, sel, stat, timeseries } from './panels.js';

export const overview = () =>
  dashboard(
    'tradesim-overview',
    'TradeSim / Overview',
    'The four golden signals of the simulated business (traffic, errors, latency, saturation). Those of the exporter serving it are on TradeSim / Exporter.',
  )
    .withRow(new RowBuilder('Run'))
    .withPanel(stat('Turn', 'The last completed turn.', 'none', { expr: `max(${ofRun(sel('tradesim_turn'))})` }))
    .withPanel(
      stat(
        'Turns per second',
        'Turns played per second over the last minute (pacing and pauses included), as the recording rule keeps it.',
        'none',
        { expr: `sum(${ofRun(sel('job:tradesim_turns:rate1m'))})` },
      ),
    )
    .withPanel(
      stat(
        'Failure ratio',
        'Failed purchase attempts over all attempts in the last minute, as the recording rule keeps it.',
        'percentunit',
        { expr: `max(${ofRun(sel('job:tradesim_transaction_failures:ratio_rate1m'))})` },
      ),
    )
    .withPanel(
      stat(
        'Business alerts firing',
        'Business alerts firing now: the forwarded firings (tradesim_alert_firing at 1), there for a scraped, pushed or backfilled run alike.',
        'none',
        { expr: `count(${ofRun(sel('tradesim_alert_firing'))} == 1) or vector(0)` },
      ),
    )
    .withRow(new RowBuilder('Business: traffic, errors, latency, saturation'))
    .withPanel(
      timeseries(
        'Traffic: purchase attempts per second',
        'Purchase attempts by outcome, over the last minute, as the recording rule keeps them.',
        'reqps',
        [{ expr: `sum by (outcome) (${ofRun(sel('job:tradesim_transactions:rate1m'))})`, legend: '{{outcome}}' }],
        { span: 12, stacked: true },
      ),
    )
    .withPanel(
      timeseries(
        'Errors: failure ratio by reason',
        'Failed purchase attempts by reason, over all attempts.',
        'percentunit',
        [
          {
            expr: `sum by (reason) (${rate('tradesim_transactions_total', 'outcome="failure"')}) / scalar(sum(${rate('tradesim_transactions_total')}))`,
            legend: '{{reason}}',
          },
        ],
        { span: 12, stacked: true, min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        'Latency: turn duration',
        'Time the engine takes for a turn: quantiles of the turn duration histogram.',
        's',
        [
          {
            expr: `histogram_quantile(0.5, sum by (le) (${rate('tradesim_turn_duration_seconds_bucket')}))`,
            legend: 'p50',
          },
          {
            expr: `histogram_quantile(0.95, sum by (le) (${rate('tradesim_turn_duration_seconds_bucket')}))`,
            legend: 'p95',
            exemplar: true,
          },
          {
            expr: `histogram_quantile(0.99, sum by (le) (${rate('tradesim_turn_duration_seconds_bucket')}))`,
            legend: 'p99',
          },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'Saturation: companies by budget state',
        'How many companies are prosperous, stable, struggling or insolvent.',
        'none',
        [{ expr: `sum by (state) (${ofRun(sel('tradesim_companies'))})`, legend: '{{state}}' }],
        { stacked: true },
      ),
    )
    .withPanel(
      timeseries(
        'Saturation: money and goods against their start',
        'Total budget over its initial amount; units bought over units wanted.',
        'percentunit',
        [
          { expr: ofRun(sel('tradesim_budget_to_initial_ratio')), legend: 'budget / initial' },
          { expr: ofRun(sel('tradesim_fill_ratio')), legend: 'fill ratio' },
        ],
        { span: 24, min: 0 },
      ),
    );
