import { LOG_OUTPUTS, OUTPUT_KINDS } from './metric-labels.js';
import { fromSnapshot, one } from './readers.js';
import { counter as c, gauge as g, type MetricDefinition } from './metric-definition.js';

/** How the run itself does: engine and services performance, JSONL, HTTP and the system. */
// Every declaration has one shape (name, unit, labels, help, reader): the list is data.
export const OPERATIONS_METRICS = [
  // --- engine and services performance ---
  c(
    'tradesim_turn_phase_seconds_total',
    'seconds',
    ['phase'],
    'Time spent in each phase of the turns since the start: prices, purchases, market, events, and services (the figures and alerts of the turn before).',
    { read: (src) => Object.entries(src.phaseSeconds).map(([phase, seconds]) => [{ phase }, seconds] as const) },
  ),
  {
    name: 'tradesim_turn_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: [],
    help: 'Time the engine took for one turn (prices, purchases, market, events).',
    group: 'business',
    // From the default world (microseconds) to the stress world (tens of milliseconds).
    buckets: [
      0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
    ],
  },
  {
    name: 'tradesim_turn_duration_quantiles_seconds',
    type: 'summary',
    unit: 'seconds',
    labels: [],
    help: 'Time the engine took for one turn, as quantiles over the turns the services keep in history (200 by default).',
    group: 'business',
    percentiles: [0.5, 0.9, 0.99],
  },
  g(
    'tradesim_stats_cache_hit_ratio',
    'ratio',
    [],
    'Hits / lookups of the statistics cache since the start (no sample before any lookup).',
    {
      read: fromSnapshot((s) => one(s.performance.cacheHitRatio)),
    },
  ),
  c('tradesim_subscriber_errors_total', 'errors', [], 'Errors thrown by turn-loop subscribers (counted, not fatal).', {
    group: 'exporter',
    read: fromSnapshot((s) => one(s.performance.subscriberErrors)),
  }),

  // --- JSONL ---
  c('tradesim_jsonl_lines_written_total', 'lines', [], 'Snapshot lines handed to the JSONL writer.', {
    group: 'exporter',
    read: (src) => one(src.jsonl?.linesWritten ?? 0),
  }),
  c('tradesim_jsonl_write_errors_total', 'errors', [], 'JSONL lines or writes that failed (the simulation goes on).', {
    group: 'exporter',
    read: (src) => one(src.jsonl?.writeErrors ?? 0),
  }),
  c('tradesim_jsonl_rotations_total', 'files', [], 'JSONL files moved aside to .1 on reaching --jsonl-max-bytes.', {
    group: 'exporter',
    read: (src) => one(src.jsonl?.rotations ?? 0),
  }),
  c(
    'tradesim_jsonl_reopens_total',
    'files',
    [],
    'Times the JSONL file was found moved away or deleted under the writer (a log rotator) and opened again at its path.',
    { group: 'exporter', read: (src) => one(src.jsonl?.reopens ?? 0) },
  ),
  c(
    'tradesim_output_errors_total',
    'errors',
    ['output'],
    'Failures the run went on through, by output: JSONL and event-log lines lost (jsonl, events), checkpoints not written (checkpoint), pushes failed (push).',
    {
      group: 'exporter',
      read: (src) => OUTPUT_KINDS.map((output) => [{ output }, src.outputErrors?.[output] ?? 0] as const),
    },
  ),
  c(
    'tradesim_output_wait_seconds_total',
    'seconds',
    ['output'],
    'Time the run waited before a turn for a log file that fell behind it or was not open yet (a slow disk), by output: the JSONL file (jsonl), the event log (events).',
    {
      group: 'exporter',
      read: (src) => LOG_OUTPUTS.map((output) => [{ output }, src.outputWaits?.[output] ?? 0] as const),
    },
  ),
  c(
    'tradesim_jsonl_write_seconds_total',
    'seconds',
    [],
    'Time spent making JSONL lines and queueing them for the file, between turns on the loop thread.',
    { group: 'exporter', read: (src) => one(src.jsonl?.busySeconds ?? 0) },
  ),

  // --- HTTP (RED) ---
  c(
    'tradesim_http_requests_total',
    'requests',
    ['method', 'route', 'status'],
    'HTTP requests served, by method, route template (__unmatched__ for unknown paths) and status.',
    { group: 'http' },
  ),
  {
    name: 'tradesim_http_request_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: ['method', 'route'],
    help: 'Time to serve an HTTP request, by method and route template.',
    group: 'http',
    buckets: [0.000_1, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  },
  g('tradesim_http_requests_in_flight', 'requests', [], 'HTTP requests being served now.', { group: 'http' }),

  // --- system (node:os and process, sampled in the background) ---
  g(
    'tradesim_process_cpu_ratio',
    'ratio',
    [],
    'CPU time of this process over the last sample interval, in CPUs (1 = one core busy).',
    { group: 'system', read: (src) => (src.system ? one(src.system.processCpu) : []) },
  ),
  g('tradesim_machine_cpu_ratio', 'ratio', [], "Busy share of the machine's CPUs over the last sample interval.", {
    group: 'system',
    read: (src) => (src.system ? one(src.system.machineCpu) : []),
  }),
  g(
    'tradesim_process_resident_memory_sampled_bytes',
    'bytes',
    [],
    'Resident memory of this process at the last sample.',
    { group: 'system', read: (src) => (src.system ? one(src.system.processRssBytes) : []) },
  ),
  g('tradesim_process_heap_used_bytes', 'bytes', [], 'V8 heap in use at the last sample.', {
    group: 'system',
    read: (src) => (src.system ? one(src.system.processHeapUsedBytes) : []),
  }),
  g(
    'tradesim_machine_memory_used_bytes',
    'bytes',
    [],
    'Machine memory in use (total - available) at the last sample.',
    { group: 'system', read: (src) => (src.system ? one(src.system.machineMemoryUsedBytes) : []) },
  ),
  g('tradesim_machine_memory_total_bytes', 'bytes', [], 'Machine memory in total.', {
    group: 'system',
    read: (src) => (src.system ? one(src.system.machineMemoryTotalBytes) : []),
  }),
  g('tradesim_system_sample_timestamp_seconds', 'seconds', [], 'Unix time of the last system sample.', {
    group: 'system',
    read: (src) => (src.system ? one(src.system.sampledAtMs / 1000) : []),
  }),
] as const satisfies readonly MetricDefinition[];
