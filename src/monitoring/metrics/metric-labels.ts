/** The label value entities beyond the cardinality budget fold into. */
export const OTHER_LABEL = '__other__';
/** The route label of requests that match no route. */
export const UNMATCHED_ROUTE = '__unmatched__';
/** The outputs a run goes on without when they fail: the `output` label of tradesim_output_errors_total. */
export const OUTPUT_KINDS = ['jsonl', 'events', 'checkpoint', 'push'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
/** The outputs written line by line, which a run waits for when they fall behind it: the `output` label of tradesim_output_wait_seconds_total. */
export const LOG_OUTPUTS = ['jsonl', 'events'] as const;
