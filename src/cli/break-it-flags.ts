import type { Faults } from '../monitoring/index.js';
import type { TurnLoop } from '../services/index.js';
import { problemList, TradeSimError } from '../simulation/index.js';
import { CliErrors } from './errors.js';
import type { FlagSpec } from './flag-spec.js';
import { readReplayRecords } from './shock-replay.js';

/** The shock request of a `--shock` spec (`at=+N` is read by the services, from the start turn). */
function shockOf(spec: FlagSpec): Record<string, unknown> {
  const { type, ...rest } = spec;
  return { shock: type, ...rest };
}

/**
 * Applies `--replay-shocks`, `--shock` and `--fault` to a run about to start: each refusal
 * is one line naming the flag (exit 2), before any file is written.
 */
export function applyBreakItFlags(
  options: {
    readonly shocks: readonly FlagSpec[];
    readonly faults: readonly FlagSpec[];
    readonly replayShocks: string | null;
  },
  loop: TurnLoop,
  faults: Faults,
): void {
  const named = <T>(flag: string, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      // The problems alone where there are some: the flag names the shock ("--shock: shock: " said it twice).
      if (error instanceof TradeSimError) {
        const why = error.problems.length > 0 ? problemList(error.problems) : error.message;
        throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`${flag}: ${why}`);
      }
      throw error;
    }
  };
  const shocks = options.shocks.map(shockOf);
  if (options.replayShocks !== null) {
    const records = readReplayRecords(options.replayShocks);
    named('--replay-shocks', () => loop.shocks.replay(records));
  }
  for (const shock of shocks) named('--shock', () => loop.shocks.start(shock));
  for (const spec of options.faults) {
    const { type, ...rest } = spec;
    named('--fault', () => faults.start({ fault: type, ...rest } as Parameters<Faults['start']>[0]));
  }
}
