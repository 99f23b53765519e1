import type { ActiveAlert, AlertEvent } from './alerts/alert-engine.js';
import type { ServiceFigures } from './service-set.js';

/**
 * Everything one turn produced, published once and never changed: every service's
 * figures and the alerts. Readers of the same turn get the same object.
 */
export interface TurnSnapshot extends ServiceFigures {
  readonly runId: string;
  readonly seed: number;
  readonly scenario: string;
  readonly turn: number;
  /** Wall-clock time of publication, ms since the epoch (kept apart from business figures). */
  readonly publishedAtMs: number;
  readonly alerts: {
    /** Rules pending or firing now. */
    readonly active: readonly ActiveAlert[];
    /** State changes of this turn. */
    readonly transitions: readonly AlertEvent[];
  };
}

/** The names of the business parts of a snapshot, in output order. */
export const SERVICE_NAMES = [
  'budget',
  'company',
  'product',
  'supplier',
  'transaction',
  'event',
  'market',
  'slo',
  'performance',
] as const satisfies readonly (keyof ServiceFigures)[];
