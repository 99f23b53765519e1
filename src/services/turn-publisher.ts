import type { TurnReport } from '../simulation/index.js';
import type { TurnSnapshot } from './snapshot.js';

/**
 * A subscriber gets every snapshot and the turn's report (for per-transaction detail); a
 * returned promise is not awaited, so nobody stalls the loop.
 */
export type Subscriber = (snapshot: TurnSnapshot, report: TurnReport) => void | Promise<void>;

/**
 * Hands each turn's snapshot to the subscribers and keeps the latest. Invariant: a
 * subscriber that throws or rejects is counted (and told to `onError`), never stops the
 * others or the loop.
 */
export class TurnPublisher {
  private readonly subscribers = new Set<Subscriber>();
  private newest: TurnSnapshot | undefined;
  /** Subscriber errors so far. */
  errors = 0;

  constructor(private readonly onError?: (error: unknown) => void) {}

  /** The last published snapshot, or undefined before the first turn. */
  latest(): TurnSnapshot | undefined {
    return this.newest;
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish(snapshot: TurnSnapshot, report: TurnReport): void {
    this.newest = snapshot;
    for (const subscriber of this.subscribers) {
      try {
        const result = subscriber(snapshot, report);
        if (result && typeof result.then === 'function') result.then(undefined, this.reportError);
      } catch (error) {
        this.reportError(error);
      }
    }
  }

  private readonly reportError = (error: unknown): void => {
    this.errors += 1;
    this.onError?.(error);
  };
}
