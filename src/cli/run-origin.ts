/*
 * Where a run starts from: a new world, or a checkpoint it resumes or forks. A resumed run
 * goes on with the checkpoint's scenario, seed and random stream; a fork takes its state
 * with a new seed and, if --scenario is given, another scenario on that world.
 */
import { randomInt } from 'node:crypto';
import {
  createTurnLoop,
  liveShocksProblem,
  loadRunConfig,
  type RunConfig,
  scenarioWithLiveShocks,
  type TurnLoop,
} from '../services/index.js';
import { createRng, createSimulation, restoreSimulation, type Simulation, TradeSimError } from '../simulation/index.js';
import type { CliOptions } from './args.js';
import { type Checkpoint, readCheckpoint } from './checkpoint-file.js';
import { CliErrors } from './errors.js';
import type { RunFiles } from './output-paths.js';
import type { TextOut } from './safe-writer.js';
import { readScenarioSource } from './scenario-file.js';

/** A run's scenario, seed and the checkpoint it starts from, if any. */
export interface RunOrigin {
  /** The checkpoint read from --resume or --fork. */
  readonly saved: Checkpoint | undefined;
  /** True when the run plays its own --scenario rather than the checkpoint's. */
  readonly ownScenario: boolean;
  readonly scenarioName: string;
  readonly scenarioText: string;
  /** The scenario file read, when the scenario is a path. */
  readonly scenarioFile: string | null;
  readonly config: RunConfig;
  readonly seed: number;
  /** A fork with --seed: a new random stream on the saved world. */
  readonly newStream: boolean;
  /** The checkpoint flag and path, for messages and the output-path checks. */
  readonly from: RunFiles['from'];
}

/** Reads the checkpoint and scenario the options name, and picks the seed. */
export function resolveOrigin(options: CliOptions): RunOrigin {
  const from =
    options.resume !== null
      ? ({ flag: '--resume', path: options.resume } as const)
      : options.fork !== null
        ? ({ flag: '--fork', path: options.fork } as const)
        : null;
  const saved = from ? readCheckpoint(from.path) : undefined;
  const ownScenario = !saved || (options.fork !== null && options.scenarioGiven);
  const source = ownScenario ? readScenarioSource(options.scenario) : undefined;
  const scenarioText = source ? source.text : saved!.scenarioText;
  // A fork without --seed keeps the saved stream (only its scenario differs).
  const newStream = options.fork !== null && options.seed !== null;
  return {
    saved,
    ownScenario,
    scenarioName: ownScenario ? options.scenario : saved.scenario,
    scenarioText,
    scenarioFile: source?.path ?? null,
    config: loadRunConfig(scenarioText),
    seed: saved && !newStream ? saved.seed : (options.seed ?? randomInt(0, 2 ** 32)),
    newStream,
    from,
  };
}

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
  const liveShocks = saved ? liveShocksProblem(saved.loop.liveShocks, saved.turn) : undefined;
  if (liveShocks !== undefined)
    throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE(from!.path, `corrupt (${liveShocks})`);
  const simulation = restoring(() =>
    saved
      ? restoreSimulation(
          origin.ownScenario ? config.scenario : scenarioWithLiveShocks(config.scenario, saved.loop.liveShocks),
          seed,
          saved.simulation,
          origin.newStream ? createRng(seed) : undefined,
          origin.ownScenario ? loadRunConfig(saved.scenarioText).scenario : undefined,
        )
      : createSimulation(config.scenario, seed),
  );
  const loop = restoring(() =>
    createTurnLoop({
      simulation,
      config,
      ...(saved ? { restore: saved.loop } : {}),
      ...(options.resume !== null ? { runId: saved!.runId } : {}),
      onSubscriberError: (error) => stderr.write(`tradesim: subscriber error: ${(error as Error).message}\n`),
    }),
  );
  return { simulation, loop };
}
