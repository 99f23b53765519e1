/** A worker thread of a sweep's pool: plays the runs it is handed (see run-one.ts). */
import { runOne, type SweepRow, type SweepTask } from './run-one.js';

export default function play(task: SweepTask): SweepRow {
  return runOne(task);
}
