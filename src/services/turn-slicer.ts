/*
 * A turn played in slices: the engine's turn in progress, how many items a slice plays, the
 * seconds of each phase summed over the slices, and the readers waiting for the turn's end.
 */
import { type Simulation, type TurnInProgress, type TurnPhase, type TurnReport } from '../simulation/index.js';

/** The time a slice of a turn aims to take, ms: short, so the loop can stop close to its budget (run-control.ts). */
export const SLICE_TARGET_MS = 0.5;
/** The fewest items a chosen slice plays, and the first turn's slice before any pace is known. */
const SLICE_MIN_ITEMS = 512;
const SLICE_FIRST_ITEMS = 8_192;
const TURN_PHASES: readonly TurnPhase[] = ['prices', 'purchases', 'market', 'events'];

/** Seconds of each phase of a turn, summed over its slices. */
export interface PhaseSeconds {
  readonly prices: number;
  readonly purchases: number;
  readonly market: number;
  readonly events: number;
}

/** What the slicer needs of the loop. */
export interface TurnSlicerDeps {
  readonly simulation: Simulation;
  readonly monotonicMs: () => number;
  /** Called before a turn begins (live shocks start or stop then). */
  readonly beforeTurn: () => void;
  /**
   * Feeds the services with a played turn and publishes it, in steps: the slicer runs one step
   * a slice when the turn took several, all of them at once otherwise.
   */
  readonly publish: (report: TurnReport, phases: PhaseSeconds) => Iterator<void, void, void>;
}

/**
 * Invariants: at most one turn in progress; a turn's readers (`betweenTurns`) run right after
 * it is published and before the next begins; the slice size is a count of items, chosen from
 * the last turn's pace unless fixed, so where a turn is cut never changes what it plays.
 */
export class TurnSlicer {
  private current: TurnInProgress | undefined;
  /** The publication of a turn the engine has played, under way over slices (see advance). */
  private publication: Iterator<void, void, void> | undefined;
  private items = SLICE_FIRST_ITEMS;
  private fixed = false;
  private readonly waiting: (() => void)[] = [];
  // `at` is the phase in progress, `busy` the turn's seconds in slices.
  private readonly phases = { mark: 0, at: 0, busy: 0, slices: 0, prices: 0, purchases: 0, market: 0, events: 0 };
  private readonly endPhase = (phase: TurnPhase) => {
    const now = this.deps.monotonicMs();
    this.phases[phase] += (now - this.phases.mark) / 1000;
    this.phases.mark = now;
    this.phases.at += 1;
  };

  constructor(private readonly deps: TurnSlicerDeps) {}

  /** True while a turn is half played. */
  get inTurn(): boolean {
    return this.current !== undefined || this.publication !== undefined;
  }

  /** Fixes the items a slice plays (undefined: chosen from the pace). */
  fixSlice(items: number | undefined): void {
    this.fixed = items !== undefined;
    if (items !== undefined) this.items = items;
  }

  /** Plays one slice of the turn in progress (begun if none is); true once the turn is published. */
  playSlice(): boolean {
    return this.advance(this.items);
  }

  /** Plays the rest of a turn (a whole one if none is in progress) and publishes it. */
  playTurn(): void {
    this.advance(Number.POSITIVE_INFINITY);
  }

  /**
   * Runs `read` between two turns: at once when no turn is half played, else right after the
   * turn in progress is published and before the next one starts.
   */
  betweenTurns<T>(read: () => T): Promise<T> {
    if (!this.inTurn) return new Promise<T>((resolve) => resolve(read()));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(read());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  private advance(items: number): boolean {
    if (this.publication) return this.publishStep(items === Number.POSITIVE_INFINITY);
    const { phases } = this;
    const start = this.deps.monotonicMs();
    if (!this.current) {
      phases.prices = phases.purchases = phases.market = phases.events = 0;
      phases.at = phases.busy = phases.slices = 0;
      this.deps.beforeTurn();
      this.current = this.deps.simulation.begin(this.endPhase);
    }
    phases.mark = start;
    const report = this.current.advance(items);
    const end = this.deps.monotonicMs();
    phases.busy += (end - start) / 1000;
    phases.slices += 1;
    if (!report) {
      phases[TURN_PHASES[phases.at]!] += (end - phases.mark) / 1000;
      return false;
    }
    if (!this.fixed && phases.busy > 0) {
      const chosen = Math.floor((SLICE_TARGET_MS * this.current.played) / (phases.busy * 1000));
      this.items = Math.max(SLICE_MIN_ITEMS, chosen);
    }
    this.current = undefined;
    this.publication = this.deps.publish(report, phases);
    // A turn of several slices is published in slices of its own, a service each (on a large
    // world each is a slice's worth); until the last one it counts as in progress.
    if (phases.slices > 1 && items !== Number.POSITIVE_INFINITY) return false;
    return this.publishStep(true);
  }

  /** Runs the next step of the publication (all of them when `whole`); true once published. */
  private publishStep(whole: boolean): boolean {
    const publication = this.publication!;
    let step = publication.next();
    while (whole && !step.done) step = publication.next();
    if (!step.done) return false;
    this.publication = undefined;
    // Readers waiting for the turn's end run now, before the next turn starts.
    while (this.waiting.length > 0) this.waiting.shift()!();
    return true;
  }
}
