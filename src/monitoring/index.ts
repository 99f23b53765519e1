/**
 * The monitoring layer's front door: the Prometheus exporter, the HTTP app, JSONL snapshots
 * and system sampling.
 */
export { MonitoringErrors } from './errors.js';
export { createExporter, wantsOpenMetrics } from './exporter.js';
export type { Exporter, ExporterOptions, Exposition } from './exporter.js';
export type { AppDeps } from './http/app.js';
export { loadAppBuilder } from './http/load-app.js';
export { isLoopback } from './http/loopback.js';
export { checkHealth } from './http/health.js';
export type { HealthBody, HealthInput, HealthStatus } from './http/health.js';
export { createJsonlWriter, parseJsonl } from './jsonl/jsonl-writer.js';
export { makeDirs, makeDirsSync } from './jsonl/jsonl-files.js';
export { holdLock, takeLock } from './jsonl/run-lock.js';
export { EVENT_LINE_TARGETS, eventLines, writeEventLines } from './jsonl/event-lines.js';
export type {
  JsonlLine,
  JsonlStart,
  JsonlStats,
  JsonlWriter,
  JsonlWriterOptions,
  ReadLines,
} from './jsonl/jsonl-writer.js';
export { LINE_DECIMALS, LINE_TOP_ENTRIES, serializeSnapshotLine, snapshotLineBytes } from './jsonl/snapshot-line.js';
export { createSnapshotLine } from './jsonl/snapshot-line.js';
export { linesLeaveOut } from './jsonl/line-shape.js';
export { METRICS, OTHER_LABEL, OUTPUT_KINDS, UNMATCHED_ROUTE } from './metrics/catalogue.js';
export type { OutputKind } from './metrics/catalogue.js';
export type { MetricDefinition, MetricGroup, MetricName } from './metrics/catalogue.js';
export { foldEntities } from './metrics/entity-fold.js';
export type { EntitySample, FoldedEntities } from './metrics/entity-fold.js';
export { createSystemSampler } from './system-sampler.js';
export { createPusher, groupUrl } from './pushgateway.js';
export type { Pusher, PusherOptions } from './pushgateway.js';
export type { SystemSample, SystemSampler } from './system-sampler.js';
export { renderMetricsTable, TABLE_BEGIN, TABLE_END, updateMetricsTable } from './metrics/docs-table.js';
export {
  alertNameOf,
  businessAlertRules,
  OTHER_RULES_ALERT,
  sloBurnAlertNameOf,
  sloRules,
} from './prometheus-rules.js';
export { createFiringLog } from './alert-firings.js';
export type { Firing, FiringLog } from './alert-firings.js';
export { createLineMetrics, NOT_FROM_LINES } from './metrics/line-metrics.js';
export type { LineMetrics, LineSample, SnapshotLineInput } from './metrics/line-metrics.js';
export { createFaults, FAULT_KINDS, FAULT_TARGETS, FaultSchema } from './http/faults.js';
export type { ActiveFault, FaultKind, FaultRequest, Faults, FaultTarget } from './http/faults.js';
export { settleWithin } from './settle-within.js';
