/**
 * `npm run docs:live-page`: draws docs/live-page.png, the README's picture of the live page.
 * The built CLI (dist/cli/tradesim.mjs: `node scripts/build.mjs` first) plays the preset flat
 * out to the last turn and lingers there; Debian's Chromium (or CHROMIUM_PATH) opens the page
 * at 1280x800, shows the whole run and, once the page shows that turn, takes the picture; then
 * the run is stopped as Ctrl-C stops it.
 *
 * Usage: npm run docs:live-page [-- --scenario crisis --seed 7 --turns 1000]
 */
/// <reference lib="dom" />
// The callbacks given to page.waitForFunction and page.evaluate run in the browser.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { parseScriptArgs } from './script-args.js';

const NAME = 'docs:live-page';
const CLI = 'dist/cli/tradesim.mjs';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = 'docs/live-page.png';

const { values: flags } = parseScriptArgs(NAME, import.meta.url, {
  options: { scenario: { type: 'string' }, seed: { type: 'string' }, turns: { type: 'string' } },
});
const scenario = flags.scenario ?? 'crisis';
const seed = flags.seed ?? '7';
const turns = Number(flags.turns ?? 1_000);

const fail = (problem: string, code: number): never => {
  process.stderr.write(`${NAME}: ${problem}\n`);
  process.exit(code);
};
if (!existsSync(CLI)) fail(`no ${CLI}: build it first with node scripts/build.mjs`, 2);
if (!existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`, 2);

/** Polls `probe` every 100 ms until it returns a value, or throws naming `what` after `ms`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Stops the run as Ctrl-C does and resolves with its exit code. */
function stop(run: ChildProcess): Promise<number | string> {
  if (run.exitCode !== null || run.signalCode !== null) return Promise.resolve(run.exitCode ?? run.signalCode ?? -1);
  const exited = new Promise<number | string>((resolve) => run.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  run.kill('SIGTERM');
  return exited;
}

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const args = ['--scenario', scenario, '--seed', seed, '--turns', String(turns), '--interval', '0'];
const run = spawn(process.execPath, [CLI, ...args, '--linger', '600', '--port', '0', '--no-jsonl'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
const lastLine = () => stderr.trim().split('\n').at(-1) ?? '';
let problem: string | undefined;
try {
  const url = await waitFor('the CLI to listen', async () => {
    if (run.exitCode !== null || run.signalCode !== null) {
      throw new Error(`the CLI exited with ${run.exitCode ?? run.signalCode}: ${lastLine()}`);
    }
    return /serving (http:\/\/[^\s,]+)\/metrics/.exec(stderr)?.[1];
  });
  await waitFor(`turn ${turns}`, async () => {
    const health = (await (await fetch(`${url}/health`)).json()) as { turn: number };
    return health.turn >= turns ? true : undefined;
  });
  // The whole run, as many points as the server keeps of it.
  const points = ((await (await fetch(`${url}/api/live?window=all`)).json()) as { turns: number[] }).turns.length;
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]');
  await page.select('#window', 'all');
  await page.waitForFunction(
    (t, n) => {
      if (document.getElementById('turn')?.textContent !== String(t)) return false;
      if (document.getElementById('state')?.textContent !== 'finished') return false;
      // A chart out of view is not drawn: the first not drawn yet is scrolled into view.
      const lacking = [...document.querySelectorAll<HTMLElement>('.chart')].find((c) => Number(c.dataset.points) !== n);
      lacking?.scrollIntoView();
      return lacking === undefined;
    },
    { timeout: 30_000 },
    turns,
    points,
  );
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: OUT });
  console.log(`${OUT}: ${scenario}, seed ${seed}, turn ${turns}, the whole run, 1280x800`);
} catch (error) {
  problem = (error as Error).message.split('\n')[0];
} finally {
  await browser.close();
  const code = await stop(run);
  if (!problem && code !== 0) problem = `the CLI exited with ${code} when stopped: ${lastLine()}`;
}
// The CLI's own refusal of a flag or file (exit 2) is the script's too.
if (problem) fail(problem, run.exitCode === 2 ? 2 : 1);
