/*
 * The run's control: when the next turn is played. Runs N turns or until stopped, flat out
 * (yielding to the event loop) or paced on a schedule; pause, resume, step, a change of
 * pace, a stall for exercises, and a stop that cannot be undone.
 */
import { ServicesErrors } from './errors.js';

/** The loop's state. `idle`: not running (before a run, or after a run of N turns ended). */
export type LoopState = 'idle' | 'running' | 'paused' | 'stopped';

/** How long to run: N turns or until stopped; flat out (0) or paced. */
export interface RunOptions {
  readonly turns?: number;
  /** Pause between turns, on a schedule; 0 (the default) runs flat out. */
  readonly intervalMs?: number;
  /**
   * Flat out, the loop plays about this many milliseconds between two yields to the event
   * loop (default 1; 0 yields after every slice): an event-loop pass costs about as much as a
   * small world's turn, and I/O waits about this long. When the event loop took longer the
   * last time (a flood of requests), the loop plays in proportion to it (RUN_SHARE).
   */
  readonly yieldEveryMs?: number;
  /**
   * Items of work (companies, buyers, offers) a slice of a turn plays before the loop yields to
   * the event loop. By default the loop chooses it from the last turns' pace so a slice takes
   * about SLICE_TARGET_MS; where turns are cut never changes what they play.
   */
  readonly sliceItems?: number;
  /**
   * Asked before each turn: a promise when the run's outputs have fallen behind it (a slow
   * disk), which the run waits on before it plays on (a stop ends the wait); undefined to
   * play on at once.
   */
  readonly holdBack?: () => Promise<void> | undefined;
}

/** How the control plays turns: in slices, or a whole turn at once (see TurnSlicer). */
export interface TurnPlayer {
  /** True while a turn is half played. */
  readonly inTurn: boolean;
  fixSlice(items: number | undefined): void;
  /** Plays one slice; true once the turn is published. */
  playSlice(): boolean;
  /** Plays the rest of a turn (or a whole one) and publishes it. */
  playTurn(): void;
}

/** The longest pause between turns a run takes, ms (an hour). */
export const INTERVAL_MAX_MS = 3_600_000;
const DEFAULT_YIELD_EVERY_MS = 1;
/**
 * The run's share of the loop when the event loop is busy (a flood of requests): it plays
 * RUN_SHARE / (1 - RUN_SHARE) times as long as the event loop took. A little over half, so
 * a run keeps half its pace under a flood, and requests keep most of the rest.
 */
export const RUN_SHARE = 0.55;
const PLAY_PER_AWAY = RUN_SHARE / (1 - RUN_SHARE);

// setImmediate lets pending I/O (HTTP requests, file writes) run between flat-out turns.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Plays turns through `playTurn` as the state allows. Invariants: one run at a time; once
 * `stopped`, always stopped (and `stopped` settled); a paused or stalled run plays no turn
 * until resumed, stepped or unstalled.
 */
export class RunControl {
  private current: LoopState = 'idle';
  private stopRequested = false;
  private interval = 0;
  /** Set by a change of interval: the next pause starts a new schedule. */
  private rescheduled = false;
  private lastTurn = Number.POSITIVE_INFINITY;
  private stalledNow = false;
  /** Ends the current wait (a pause, a stall or a sleep between paced turns). */
  private wake: (() => void) | undefined;
  private resolveStopped: () => void = () => {};
  /** Settles when the loop has stopped for good. */
  readonly stopped = new Promise<void>((resolve) => {
    this.resolveStopped = resolve;
  });

  constructor(
    private readonly simulation: { readonly turn: number },
    private readonly turns: TurnPlayer,
    private readonly monotonicMs: () => number,
  ) {}

  get state(): LoopState {
    return this.current;
  }

  /** The pause between turns of the current run, ms (0: flat out). */
  get intervalMs(): number {
    return this.interval;
  }

  get stalled(): boolean {
    return this.stalledNow;
  }

  /** True once stop() was asked: the turn under way, if any, is the last. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** True once a run has played all its `turns`, stepped or not (until another starts): no turn will follow. */
  get ended(): boolean {
    return !this.turns.inTurn && this.simulation.turn >= this.lastTurn;
  }

  /** Runs turns until `turns` more are done or stop(); settles when the loop leaves `running`. */
  async run(options: RunOptions = {}): Promise<void> {
    if (this.current === 'stopped') throw new ServicesErrors.TRADESIM_ERR_LOOP_STOPPED();
    if (this.current !== 'idle') throw new ServicesErrors.TRADESIM_ERR_LOOP_ALREADY_RUNNING();
    this.interval = options.intervalMs ?? 0;
    const yieldEveryMs = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
    this.turns.fixSlice(options.sliceItems);
    let yieldedAt = this.monotonicMs();
    // The time the event loop took the last time the loop yielded: the loop plays in proportion
    // before it yields again (RUN_SHARE), so a flood of requests cannot starve the run, nor it them.
    let awayMs = 0;
    this.lastTurn = options.turns === undefined ? Number.POSITIVE_INFINITY : this.simulation.turn + options.turns;
    this.current = 'running';
    let due = this.monotonicMs();
    while (this.turns.inTurn || (!this.stopRequested && this.simulation.turn < this.lastTurn)) {
      // Read through a getter: pause() changes the state while run() awaits. A turn half
      // played is finished first.
      if (!this.turns.inTurn && (this.state === 'paused' || this.stalledNow)) {
        await new Promise<void>((resolve) => {
          // Nothing else may hold the process open (a run with no server): the wait does, until a
          // resume, a stop or a signal, or Node would end it at once, unflushed.
          const alive = setInterval(() => undefined, 60_000);
          this.wake = () => {
            clearInterval(alive);
            resolve();
          };
        });
        due = this.monotonicMs();
        continue;
      }
      const held = this.turns.inTurn ? undefined : options.holdBack?.();
      if (held) {
        await this.waitFor(held);
        yieldedAt = this.monotonicMs();
        awayMs = 0;
        due = Math.max(due, yieldedAt - this.interval);
        continue;
      }
      const sliceStart = this.monotonicMs();
      const published = this.turns.playSlice();
      const now = this.monotonicMs();
      if (published && this.interval > 0 && this.simulation.turn < this.lastTurn) {
        // Pace against a schedule, not after each turn, so turn time does not add up as drift;
        // a change of interval starts a new schedule. No pause follows the run's last turn.
        if (this.rescheduled) {
          due = this.monotonicMs();
          this.rescheduled = false;
        }
        due += this.interval;
        await this.sleep(Math.max(0, due - this.monotonicMs()));
        yieldedAt = this.monotonicMs();
        awayMs = 0;
      } else if (
        yieldEveryMs === 0 ||
        now - yieldedAt + (now - sliceStart) > Math.max(yieldEveryMs, awayMs * PLAY_PER_AWAY)
      ) {
        // Yields before a slice that would pass the budget (the next one taken to be as long
        // as this one): the run's share is kept to the budget, not to the budget and a slice.
        const away = now;
        await yieldToEventLoop();
        yieldedAt = this.monotonicMs();
        awayMs = yieldedAt - away;
      }
    }
    if (this.stopRequested) {
      this.current = 'stopped';
      this.resolveStopped();
    } else {
      this.current = 'idle';
    }
  }

  pause(): void {
    if (this.current === 'running') this.current = 'paused';
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.wake?.();
  }

  /**
   * Plays one turn of a paused run (within its `turns`); false when the loop is not paused
   * or the run has played all its turns. Its last turn stepped, the run ends (finished).
   */
  step(): boolean {
    if (this.current !== 'paused' || this.stopRequested || this.turns.inTurn || this.simulation.turn >= this.lastTurn)
      return false;
    this.turns.playTurn();
    // The run's last turn, stepped: the run ends (finished, as when played), not paused past its end.
    if (this.simulation.turn >= this.lastTurn) this.wake?.();
    return true;
  }

  /** Changes the pause between turns of the run under way, from the next turn on. */
  setIntervalMs(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0 || ms > INTERVAL_MAX_MS)
      throw new ServicesErrors.TRADESIM_ERR_INTERVAL_INVALID(ms);
    this.interval = ms;
    this.rescheduled = true;
    // A sleep under the old interval ends now; the next turn is paced by the new one.
    if (this.current === 'running') this.wake?.();
  }

  /** Asks the loop to stop after the current turn; settles once it has. The loop cannot run again. */
  stop(): Promise<void> {
    this.stopRequested = true;
    if (this.current === 'idle') {
      this.current = 'stopped';
      this.resolveStopped();
    } else if (this.current === 'paused') {
      this.current = 'running';
    }
    this.wake?.();
    return this.stopped;
  }

  /** While stalled, a running loop plays no turn (its state stays `running`); false ends it. */
  stall(on: boolean): void {
    this.stalledNow = on;
    if (!on) this.wake?.();
  }

  /** Waits for `held` to settle, or for a stop or change of interval to end the wait. */
  private waitFor(held: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        // The wait may have been ended already (a resume, a stop): the loop may be in another
        // wait by the time `held` settles, whose wake is not this one's to clear.
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      this.wake = done;
      void held.then(done, done);
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
