import { randomInt } from 'node:crypto';
import {
  createSimulation,
  loadScenario,
  TradeSimError,
  type TurnReport,
} from '../simulation/index.js';
import { parseCliArgs, USAGE } from './args.js';
import { readScenarioSource } from './scenario-file.js';

function formatTurn(report: TurnReport, budgetCents: number): string {
  const a = report.aggregates;
  const events = report.events.map((e) => e.type).join(',') || '-';
  return `turn ${report.turn}  buys ${a.successes}/${a.attempts}  traded ${(a.amountCents / 100).toFixed(2)}  budget ${(budgetCents / 100).toFixed(2)}  events ${events}`;
}

/** Runs the engine alone and prints one line per turn. Returns the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseCliArgs(argv);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const source = readScenarioSource(options.scenario);
  const scenario = loadScenario(source.text);
  const seed = options.seed ?? randomInt(0, 2 ** 32);
  process.stderr.write(`tradesim: scenario ${scenario.name}, seed ${seed}\n`);
  const sim = createSimulation(scenario, seed);
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopping && (options.turns === null || sim.turn < options.turns)) {
    const report = sim.step();
    if (!options.quiet) {
      let budget = 0;
      for (let c = 0; c < sim.world.companies.length; c++) budget += sim.world.budgetsCents[c]!;
      process.stdout.write(`${formatTurn(report, budget)}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof TradeSimError) {
      process.stderr.write(`tradesim: ${error.message} (${error.code})\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(
        `tradesim: unexpected error: ${(error as Error).stack ?? String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
