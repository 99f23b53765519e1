/** Performance: where a turn's time goes, what a scrape costs, the JSONL writer, CPU and memory. */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, heatmap, ofRun, rate, sel, timeseries } from './panels.js';

export const performance = () =>
  dashboard(
    'tradesim-performance',
    'TradeSim / Performance',
    "The engine's turn time by phase, the cost of a scrape, the JSONL writer, and the process's and machine's CPU and memory.",
  )
    .withRow(new RowBuilder('Turns'))
    .withPanel(
      heatmap(
        'Turn duration (heatmap)',
        'How many turns took how long: the buckets of tradesim_turn_duration_seconds.',
        's',
        {
          expr: `sum by (le) (${ofRun(`increase(${sel('tradesim_turn_duration_seconds_bucket')}[$__rate_interval])`)})`,
          legend: '{{le}}',
        },
      ),
    )
    .withPanel(
      heatmap(
        'Turn phases (heatmap)',
        'Seconds per turn in each phase, one row per phase: where the time of a turn goes, and when that changes.',
        's',
        {
          expr: `sum by (phase) (${rate('tradesim_turn_phase_seconds_total')}) / scalar(sum(${rate('tradesim_turns_total')}))`,
          legend: '{{phase}}',
        },
        true,
      ),
    )
    .withPanel(
      timeseries(
        'Time per turn by phase',
        'Seconds per turn in each phase: prices, purchases, market, events, and the services.',
        's',
        [
          {
            expr: `sum by (job, instance, phase) (${rate('tradesim_turn_phase_seconds_total')}) / on (job, instance) group_left () sum by (job, instance) (${rate('tradesim_turns_total')})`,
            legend: '{{phase}}',
          },
        ],
        { stacked: true },
      ),
    )
    .withPanel(
      timeseries(
        'Turns per second and turn quantiles',
        'Turns per second, and the quantiles of the turns the services keep in history.',
        'none',
        [
          { expr: `sum(${rate('tradesim_turns_total')})`, legend: 'turns/s' },
          { expr: ofRun(sel('tradesim_turn_duration_quantiles_seconds')), legend: 'q{{quantile}} (s)' },
        ],
      ),
    )
    .withPanel(
      timeseries(
        'Statistics cache hit ratio',
        'Hits over lookups of the statistics cache.',
        'percentunit',
        [{ expr: ofRun(sel('tradesim_stats_cache_hit_ratio')), legend: 'hit ratio' }],
        { min: 0 },
      ),
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
    )
    .withRow(new RowBuilder('CPU and memory'))
    .withPanel(
      timeseries('CPU', 'The process in cores (1 = one core busy), and the machine as a share of its cores.', 'none', [
        { expr: ofRun(sel('tradesim_process_cpu_ratio')), legend: 'process (cores)' },
        { expr: ofRun(sel('tradesim_machine_cpu_ratio')), legend: 'machine (share)' },
        { expr: rate('process_cpu_seconds_total'), legend: 'process (cores, from Node)' },
      ]),
    )
    .withPanel(
      timeseries('Memory', 'Resident memory and V8 heap of the process; memory in use on the machine.', 'bytes', [
        { expr: ofRun(sel('tradesim_process_resident_memory_sampled_bytes')), legend: 'resident' },
        { expr: ofRun(sel('tradesim_process_heap_used_bytes')), legend: 'heap used' },
        { expr: ofRun(sel('tradesim_machine_memory_used_bytes')), legend: 'machine used' },
      ]),
    );
