/** Performance: where a turn's time goes, the statistics cache, CPU and memory (scrapes and the JSONL writer: Exporter). */
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboard, heatmap, ofRun, rate, sel, timeseries } from './panels.js';

export const performance = () =>
  dashboard(
    'tradesim-performance',
    'TradeSim / Performance',
    "The engine's turn time by phase, the statistics cache, and the process's and machine's CPU and memory. The cost of a scrape and the JSONL writer are on TradeSim / Exporter.",
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
            expr: `sum by (job, instance, run, phase) (${rate('tradesim_turn_phase_seconds_total')}) / on (job, instance, run) group_left () sum by (job, instance, run) (${rate('tradesim_turns_total')})`,
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
          { expr: `sum(${ofRun(sel('job:tradesim_turns:rate1m'))})`, legend: 'turns/s (recorded, 1m)' },
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
    .withRow(new RowBuilder('CPU and memory'))
    .withPanel(
      timeseries('CPU', 'The process in cores (1 = one core busy), and the machine as a share of its cores.', 'none', [
        { expr: ofRun(sel('tradesim_process_cpu_ratio')), legend: 'process (cores)' },
        { expr: ofRun(sel('tradesim_machine_cpu_ratio')), legend: 'machine (share)' },
      ]),
    )
    .withPanel(
      timeseries('Memory', 'Resident memory and V8 heap of the process; memory in use on the machine.', 'bytes', [
        { expr: ofRun(sel('tradesim_process_resident_memory_sampled_bytes')), legend: 'resident' },
        { expr: ofRun(sel('tradesim_process_heap_used_bytes')), legend: 'heap used' },
        { expr: ofRun(sel('tradesim_machine_memory_used_bytes')), legend: 'machine used' },
      ]),
    );
