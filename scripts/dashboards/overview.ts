/** Overview: the four golden signals of the business and of the exporter, and the run's state. */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, ofRun, rate, sel, SEL, stat, timeseries } from './panels.js';

export const overview = () =>
  dashboard(
    'tradesim-overview',
    'TradeSim / Overview',
    'The four golden signals of the simulated business (traffic, errors, latency, saturation) and of the exporter serving it.',
  )
    .withRow(new RowBuilder('Run'))
    .withPanel(stat('Turn', 'The last completed turn.', 'none', { expr: `max(${ofRun(sel('tradesim_turn'))})` }))
    .withPanel(
      stat('Turns per second', 'Turns played per second (pacing and pauses included).', 'none', {
        expr: `sum(${rate('tradesim_turns_total')})`,
      }),
    )
    .withPanel(
      stat('Alerts firing', 'Prometheus alerts firing now: forwarded business alerts and service alerts.', 'none', {
        expr: `count(ALERTS{alertstate="firing",${SEL}}) or vector(0)`,
      }),
    )
    .withPanel(
      stat('Exporter up', '1 when the last scrape of the exporter succeeded.', 'none', {
        expr: `min(up{${SEL}})`,
      }),
    )
    .withRow(new RowBuilder('Business: traffic, errors, latency, saturation'))
    .withPanel(
      timeseries(
        'Traffic: purchase attempts per second',
        'Purchase attempts by outcome.',
        'reqps',
        [{ expr: `sum by (outcome) (${rate('tradesim_transactions_total')})`, legend: '{{outcome}}' }],
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
    )
    .withRow(new RowBuilder('Exporter: traffic, errors, latency, saturation'))
    .withPanel(
      timeseries(
        'Traffic: HTTP requests per second',
        'Requests to the exporter by route.',
        'reqps',
        [{ expr: `sum by (route) (${rate('tradesim_http_requests_total')})`, legend: '{{route}}' }],
        { span: 12 },
      ),
    )
    .withPanel(
      timeseries(
        'Errors: HTTP 5xx ratio',
        'Requests answered with a 5xx, over all requests.',
        'percentunit',
        [
          {
            expr: `(sum(${rate('tradesim_http_requests_total', 'status=~"5.."')}) or vector(0)) / sum(${rate('tradesim_http_requests_total')})`,
            legend: '5xx',
          },
        ],
        { span: 12, min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        'Latency: HTTP p95 by route',
        '95th percentile of the time to serve a request, by route, and over all routes as the recording rule keeps it (what TradeSimHttpLatencyHigh reads).',
        's',
        [
          {
            expr: `histogram_quantile(0.95, sum by (le, route) (${rate('tradesim_http_request_duration_seconds_bucket')}))`,
            legend: '{{route}}',
          },
          {
            expr: `max(${ofRun(sel('job:tradesim_http_request_duration_seconds:p95_5m'))})`,
            legend: 'all routes (recorded, 5m)',
          },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'Saturation: requests in flight and scrape duration',
        'Requests being served, and how long a scrape of the exporter takes.',
        'none',
        [
          { expr: `sum(${ofRun(sel('tradesim_http_requests_in_flight'))})`, legend: 'in flight' },
          { expr: `max(${ofRun(sel('scrape_duration_seconds'))})`, legend: 'scrape seconds' },
        ],
      ),
    );
