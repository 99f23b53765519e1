/*
 * The runs bench:http loads with requests: the CLI's run in this process (the code of this
 * checkout), or a built `tradesim` command spawned with the loop probe preloaded (any build,
 * so two builds can be compared side by side). Either answers the same questions.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseCliArgs } from '../src/cli/args.js';
import { startRun } from '../src/cli/run.js';
import { createLoopProbe, type LoopFigures, PROBE_PREFIX } from './loop-probe.mjs';

/** A run serving HTTP: its address, its last published turn, how long its event loop was held. */
export interface ServedRun {
  readonly url: string;
  turn(): Promise<number>;
  /** The loop's figures since the last call, or since the run started (see loop-probe.mjs). */
  loopFigures(): Promise<LoopFigures>;
  /** Pauses the run (it stays loaded, its server answering) and resumes it. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const silent = { stdout: { write: () => true }, stderr: { write: () => true } };

/** The CLI's run with `args` in this process (`--quiet` added). */
export async function inProcessRun(args: readonly string[]): Promise<ServedRun> {
  const run = await startRun(parseCliArgs([...args, '--quiet']), silent);
  const probe = createLoopProbe();
  return {
    url: run.url!,
    turn: () => Promise.resolve(run.loop.latest()?.turn ?? 0),
    loopFigures: () => Promise.resolve(probe.take()),
    pause: () => Promise.resolve(run.loop.pause()),
    resume: () => Promise.resolve(run.loop.resume()),
    async stop() {
      probe.stop();
      await run.stop();
    },
  };
}

/** How long a spawned command may take to say where it serves, or to answer the probe. */
const SPAWNED_DEADLINE_MS = 30_000;

/** `build`'s tradesim.mjs with `args`, in a child process with the loop probe preloaded. */
export function spawnedRun(build: string, args: readonly string[]): Promise<ServedRun> {
  const probe = new URL('./loop-probe.mjs', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', probe, join(build, 'tradesim.mjs'), ...args], {
    env: { ...process.env, TRADESIM_LOOP_PROBE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const reports: ((figures: LoopFigures) => void)[] = [];
  let said = '';
  return new Promise<ServedRun>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${build}: no address within ${SPAWNED_DEADLINE_MS} ms: ${said.slice(0, 500)}`));
    }, SPAWNED_DEADLINE_MS);
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        if (line.startsWith(PROBE_PREFIX)) reports.shift()?.(JSON.parse(line.slice(PROBE_PREFIX.length)));
        else said += `${line}\n`;
        const url = /serving (http:\/\/\S+)\/metrics/.exec(line)?.[1];
        if (url) {
          clearTimeout(deadline);
          resolve(served(child, url, reports));
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${build} exited (${code}) before serving: ${said.slice(0, 500)}`)));
  });
}

function served(child: ReturnType<typeof spawn>, url: string, reports: ((figures: LoopFigures) => void)[]): ServedRun {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The page's controls, open to loopback clients by default.
  const control = async (action: 'pause' | 'resume') => {
    const answer = await fetch(`${url}/api/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action }),
    });
    if (!answer.ok) throw new Error(`${action}: ${answer.status} ${await answer.text()}`);
  };
  return {
    url,
    async turn() {
      const answer = await fetch(`${url}/health`);
      return ((await answer.json()) as { turn: number }).turn;
    },
    loopFigures: () =>
      new Promise<LoopFigures>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the loop probe did not answer')), SPAWNED_DEADLINE_MS);
        reports.push((figures) => {
          clearTimeout(timer);
          resolve(figures);
        });
        child.kill('SIGUSR2');
      }),
    pause: () => control('pause'),
    resume: () => control('resume'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
