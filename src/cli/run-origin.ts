/*
 * Where a run starts from: a new world, or a checkpoint it resumes or forks. A resumed run
 * goes on with the checkpoint's scenario, seed and random stream; a fork takes its state
 * with a new seed and, if --scenario is given, another scenario on that world.
 */
import { randomInt } from 'node:crypto';
import { loadRunConfig, loadSavedRunConfig, type RunConfig } from '../services/index.js';
import type { CliOptions } from './args.js';
import { type Checkpoint, readCheckpoint } from './checkpoint-file.js';
import type { RunFiles } from './output-paths.js';
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
    config: source ? loadRunConfig(scenarioText) : loadSavedRunConfig(scenarioText),
    seed: saved && !newStream ? saved.seed : (options.seed ?? randomInt(0, 2 ** 32)),
    newStream,
    from,
  };
}
