/**
 * The simulation layer's error catalogue. Every error it throws is one of these; callers
 * branch on `.code` (`TRADESIM_ERR_<AREA>_<PROBLEM>`), never on the message text.
 */

/** Base class of every TradeSim error: a stable `code` and, where useful, a list of problems. */
export class TradeSimError extends Error {
  readonly code: string;
  /** Each problem on its own, e.g. `companies.count: must be >= 1`. */
  readonly problems: readonly string[];

  constructor(code: string, message: string, problems: readonly string[] = []) {
    super(message);
    this.name = 'TradeSimError';
    this.code = code;
    this.problems = Object.freeze([...problems]);
  }
}

/** Problems listed in a message: no more than this many, then how many more (`problems` holds all). */
const PROBLEMS_SAID = 10;

/**
 * A list of problems for one line of text: the first ten, then how many more, so a file with
 * thousands of unknown keys is still one readable line.
 */
export function problemList(problems: readonly string[]): string {
  const said = problems.slice(0, PROBLEMS_SAID).join('; ');
  const more = problems.length - PROBLEMS_SAID;
  return more > 0 ? `${said}; and ${more} more` : said;
}

/** A constructor for one catalogued error: its code is fixed, its message built from the arguments. */
export interface ErrorClass<A extends unknown[]> {
  new (...args: A): TradeSimError;
  readonly code: string;
}

/**
 * Declares one catalogued error, in the manner of `@fastify/error`'s `createError(code,
 * message)`. The HTTP status of an answer about it is the exporter's to choose
 * (`monitoring/http/error-status.ts`), not the engine's.
 */
export function defineError<A extends unknown[]>(
  code: string,
  format: (...args: A) => { message: string; problems?: readonly string[] },
): ErrorClass<A> {
  return class extends TradeSimError {
    static readonly code = code;
    constructor(...args: A) {
      const { message, problems } = format(...args);
      super(code, message, problems);
    }
  };
}

export const SimulationErrors = {
  // --- scenario ---
  TRADESIM_ERR_SCENARIO_INVALID: defineError('TRADESIM_ERR_SCENARIO_INVALID', (problems: readonly string[]) => ({
    message: `invalid scenario: ${problemList(problems)}`,
    problems,
  })),

  // --- seed and rng ---
  TRADESIM_ERR_SEED_INVALID: defineError('TRADESIM_ERR_SEED_INVALID', (seed: unknown) => ({
    message: `seed: must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(seed)}`,
  })),
  TRADESIM_ERR_RNG_STATE_INVALID: defineError('TRADESIM_ERR_RNG_STATE_INVALID', () => ({
    message: 'rng state: must be four 32-bit unsigned integers, not all zero',
  })),

  // --- checkpoints ---
  TRADESIM_ERR_CHECKPOINT_MISMATCH: defineError('TRADESIM_ERR_CHECKPOINT_MISMATCH', (problem: string) => ({
    message: `checkpoint does not fit the scenario: ${problem}`,
  })),

  // --- rng arguments ---
  TRADESIM_ERR_RNG_RANGE_INVALID: defineError('TRADESIM_ERR_RNG_RANGE_INVALID', (what: string) => ({
    message: `rng: ${what}`,
  })),

  // --- turns ---
  TRADESIM_ERR_TURN_IN_PROGRESS: defineError('TRADESIM_ERR_TURN_IN_PROGRESS', (turn: number) => ({
    message: `turn ${turn} is half played: the world is read and changed only between turns`,
  })),
} as const;
