/**
 * Exporter: the live process serving a run, not the business it simulates. Its HTTP golden
 * signals, Prometheus's scrapes of it, its JSONL writer and Node's own CPU counter exist only
 * where Prometheus scraped a live TradeSim: a pushed batch has no server, and a backfilled
 * run's lines do not hold them (docs/prometheus.md, "Three dashboards and an exporter one").
 */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, ofRun, rate, sel, SEL, stat, timeseries } from './panels.js';

export const exporter = () =>
  dashboard(
    'tradesim-exporter',
    'TradeSim / Exporter',
    'The live process serving a run: is it up, its HTTP golden signals, the cost of a scrape, its JSONL writer. Live scrapes only: a pushed or backfilled run has none of these series.',
  )
    .withRow(new RowBuilder('Process'))
    .withPanel(
      stat('Exporter up', '1 when the last scrape of the exporter succeeded.', 'none', { expr: `min(up{${SEL}})` }, 8),
    )
    .withPanel(
      stat(
        'Prometheus alerts firing',
        'Alerts Prometheus evaluates as firing now: forwarded business alerts and service alerts (ALERTS exists only where Prometheus evaluated the rules as the run went).',
        'none',
        { expr: `count(ALERTS{alertstate="firing",${SEL}}) or vector(0)` },
        8,
      ),
    )
    .withPanel(
      stat(
        'Node CPU',
        "Cores the process used, from Node's own CPU counter (1 = one core busy).",
        'none',
        { expr: `sum(${rate('process_cpu_seconds_total')})` },
        8,
      ),
    )
    .withRow(new RowBuilder('HTTP: traffic, errors, latency, saturation'))
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
        'Requests answered with a 5xx, over all requests; and over 5 minutes as the recording rule keeps it (what TradeSimHttpErrorRatioHigh reads).',
        'percentunit',
        [
          {
            expr: `(sum(${rate('tradesim_http_requests_total', 'status=~"5.."')}) or vector(0)) / sum(${rate('tradesim_http_requests_total')})`,
            legend: '5xx',
          },
          {
            expr: `max(${ofRun(sel('job:tradesim_http_request_errors:ratio_rate5m'))})`,
            legend: '5xx (recorded, 5m)',
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
      timeseries('Saturation: requests in flight', 'Requests being served at the scrape.', 'none', [
        { expr: `sum(${ofRun(sel('tradesim_http_requests_in_flight'))})`, legend: 'in flight' },
      ]),
    )
    .withRow(new RowBuilder('Scrapes and the JSONL file'))
    .withPanel(
      timeseries('Scrape cost', 'Time Prometheus takes to scrape the exporter, and the p95 of serving /metrics.', 's', [
        { expr: ofRun(sel('scrape_duration_seconds')), legend: 'scrape' },
        {
          expr: `histogram_quantile(0.95, sum by (le) (${rate('tradesim_http_request_duration_seconds_bucket', 'route="/metrics"')}))`,
          legend: '/metrics p95',
        },
      ]),
    )
    .withPanel(
      timeseries('Samples per scrape', 'Series in one scrape of the exporter (cardinality).', 'none', [
        { expr: ofRun(sel('scrape_samples_scraped')), legend: 'samples' },
      ]),
    )
    .withPanel(
      timeseries(
        'Scrape SLO: error budget burn rate',
        'How many times faster than the budget allows (0.5 % of scrapes failing) scrapes fail, counting each scrape once its target has been up within 6 hours (the recording rule the burn alerts average): 14.4 over 1 h and 5 m pages (TradeSimScrapeErrorBudgetBurnFast), 6 over 6 h and 30 m opens a ticket (TradeSimScrapeErrorBudgetBurnSlow).',
        'none',
        ['1h', '5m', '6h', '30m'].map((window) => ({
          expr: `(1 - avg_over_time(${sel('instance:up:seen_up_6h')}[${window}])) / 0.005`,
          legend: `{{instance}} ${window}`,
        })),
      ),
    )
    .withPanel(
      timeseries(
        'JSONL lines per second and errors',
        'Snapshot lines written per second, and write errors in the interval.',
        'none',
        [
          { expr: `sum(${rate('tradesim_jsonl_lines_written_total')})`, legend: 'lines/s' },
          {
            expr: `sum(${ofRun(`increase(${sel('tradesim_jsonl_write_errors_total')}[$__rate_interval])`)})`,
            legend: 'errors',
          },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'JSONL busy share',
        'Share of the loop thread spent making and queueing JSONL lines.',
        'percentunit',
        [{ expr: `sum(${rate('tradesim_jsonl_write_seconds_total')})`, legend: 'busy' }],
        { min: 0 },
      ),
    );
