/* The simulation and its turn loop for a run's origin: a new world, or one restored from a checkpoint. */
import {
  createTurnLoop,
  liveShocksProblem,
  liveStopsProblem,
  loadSavedRunConfig,
  scenarioWithLiveShocks,
  type TurnLoop,
} from '../services/index.js';
import { createRng, createSimulation, restoreSimulation, type Simulation, TradeSimError } from '../simulation/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import type { RunOrigin } from './run-origin.js';
import type { TextOut } from './safe-writer.js';

/**
 * Makes the simulation and its turn loop, new or restored. A checkpoint's payload is checked
 * as it is restored; whatever else a crafted one breaks is refused in one line, never a
 * stack trace.
 */
export function buildLoop(
  origin: RunOrigin,
  options: CliOptions,
  stderr: TextOut,
): { readonly simulation: Simulation; readonly loop: TurnLoop } {
  const { saved, config, seed, from } = origin;
  const restoring = <T>(make: () => T): T => {
    try {
      return make();
    } catch (error) {
      if (error instanceof TradeSimError || from === null) throw error;
      throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE(from.path, `corrupt (${(error as Error).message})`);
    }
  };
  const liveShocks = saved
    ? (liveShocksProblem(saved.loop.liveShocks) ??
      (origin.ownScenario ? undefined : liveStopsProblem(config.scenario.timeline, saved.loop.liveShocks ?? [])))
    : undefined;
  if (liveShocks !== undefined)
    throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE(from!.path, `corrupt (${liveShocks})`);
  const simulation = restoring(() =>
    saved
      ? restoreSimulation(
          origin.ownScenario
            ? config.scenario
            : scenarioWithLiveShocks(config.scenario, saved.loop.liveShocks, saved.simulation.world.turn),
          seed,
          saved.simulation,
          origin.newStream ? createRng(seed) : undefined,
          // The saved timeline with its live shocks: one that had started must stay in the fork's, at its place.
          origin.ownScenario
            ? scenarioWithLiveShocks(
                loadSavedRunConfig(saved.scenarioText).scenario,
                saved.loop.liveShocks,
                saved.simulation.world.turn,
              )
            : undefined,
        )
      : createSimulation(config.scenario, seed),
  );
  const loop = restoring(() =>
    createTurnLoop({
      simulation,
      config,
      // A fork into its own scenario plays that scenario's timeline: the live shocks still to come
      // are not in it, so their record is not kept either (a resume of the fork would play them).
      ...(saved ? { restore: origin.ownScenario ? { ...saved.loop, liveShocks: [] } : saved.loop } : {}),
      ...(options.resume !== null ? { runId: saved!.runId } : {}),
      onSubscriberError: (error) => stderr.write(`tradesim: subscriber error: ${(error as Error).message}\n`),
    }),
  );
  return { simulation, loop };
}
