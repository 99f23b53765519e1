import { Piscina } from 'piscina';
import type { SweepRow, SweepTask } from './run-one.js';
import { createProgress } from './sweep-progress.js';

/**
 * Plays the tasks on `workers` threads; the rows in task order, a failed task as an error row.
 * When `stop` aborts (Ctrl-C), the runs under way are dropped and the rows done so far returned.
 */
export async function play(
  tasks: readonly SweepTask[],
  workers: number,
  stderr: NodeJS.WriteStream,
  stop: AbortSignal,
): Promise<SweepRow[]> {
  const filename = import.meta.url.endsWith('.ts')
    ? new URL('./sweep-worker.ts', import.meta.url).href
    : new URL('./sweep-worker.mjs', import.meta.url).href;
  const pool = new Piscina({ filename, minThreads: workers, maxThreads: workers, idleTimeout: 1_000 });
  const progress = createProgress(stderr, tasks.length);
  const rows: (SweepRow | undefined)[] = new Array<SweepRow | undefined>(tasks.length);
  let done = 0;
  progress.update(0);
  const onStop = () => void pool.destroy();
  stop.addEventListener('abort', onStop, { once: true });
  try {
    await Promise.all(
      tasks.map((task, i) =>
        (pool.run(task) as Promise<SweepRow>)
          .then(
            (row) => (rows[i] = row),
            (error: Error) => {
              // A run cut by the stop is not done: no row, rather than a false error row.
              if (stop.aborted) return;
              rows[i] = {
                run: task.index,
                scenario: task.scenario,
                seed: task.seed,
                ...task.params,
                status: 'error',
                error: `worker: ${error.message.split('\n')[0]}`,
              };
            },
          )
          .finally(() => {
            if (!stop.aborted) progress.update(++done);
          }),
      ),
    );
  } finally {
    stop.removeEventListener('abort', onStop);
    await pool.destroy();
  }
  return rows.filter((row): row is SweepRow => row !== undefined);
}
