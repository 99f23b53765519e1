import type { LineBatcher } from './line-batcher.js';
import { BEHIND_BYTES, type RotatingFile } from './rotating-file.js';
import type { WriterHealth } from './writer-health.js';

/** How often a run waiting for its file looks again (ms). */
const POLL_MS = 5;
/** Lines waiting for a file not open yet past which the run waits for it. */
const START_WAIT_LINES = 64;

/** What holding a run back reads of its writer. */
export interface BackPressureDeps {
  readonly file: RotatingFile;
  readonly batcher: LineBatcher;
  readonly health: WriterHealth;
  /** How long a file may take nothing before it is taken for hung (ms). */
  readonly hungMs: number;
  readonly closed: () => boolean;
  readonly started: () => boolean;
  readonly onBehind?: ((message: string) => void) | undefined;
}

/**
 * The JSONL writer's side of holding its run back (see JsonlWriter.behind). Invariant: no
 * wait outlasts the writer's closing or failing, nor `hungMs` in which the file took
 * nothing; a start that outlasted one is not waited for again.
 */
export class BackPressure {
  /** Seconds the run waited, in all. */
  waitSeconds = 0;
  private startGivenUp = false;
  /** The wait under way: asked again meanwhile (a pause and resume), the same wait is given. */
  private current: Promise<void> | undefined;

  /** True while the run waits. */
  get waiting(): boolean {
    return this.current !== undefined;
  }

  constructor(private readonly deps: BackPressureDeps) {}

  behind(): Promise<void> | undefined {
    if (this.current) return this.current;
    const { file, batcher, health, hungMs } = this.deps;
    if (this.deps.closed() || health.failing()) return undefined;
    if (!this.deps.started()) {
      // Not open yet (a slow disk at start): lines wait in memory until it is.
      if (this.startGivenUp || batcher.waiting() < START_WAIT_LINES) return undefined;
      const since = Date.now();
      const hung = () => {
        if (Date.now() - since < hungMs) return false;
        this.startGivenUp = true;
        return true;
      };
      return this.waitUntil(() => this.deps.started(), hung, 'the file is not open yet: the run waits for it');
    }
    if (file.queued() < BEHIND_BYTES || file.sinceTook() >= hungMs) return undefined;
    return this.waitUntil(
      () => file.queued() <= BEHIND_BYTES / 2,
      () => file.sinceTook() >= hungMs,
      `the file is ${Math.round(file.queued() / 2 ** 20)} MiB behind the run (a slow disk): the run waits for it`,
    );
  }

  /** Says `message`, then settles once `done` or `hung` holds, or the writer closes or fails; the wait is timed. */
  private waitUntil(done: () => boolean, hung: () => boolean, message: string): Promise<void> {
    this.deps.onBehind?.(message);
    let settle: () => void = () => {};
    const wait = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.current = wait;
    const started = performance.now();
    const look = () => {
      if (this.deps.closed() || this.deps.health.failing() || done() || hung()) {
        this.waitSeconds += (performance.now() - started) / 1000;
        this.current = undefined;
        settle();
      } else setTimeout(look, POLL_MS);
    };
    look();
    return wait;
  }
}
