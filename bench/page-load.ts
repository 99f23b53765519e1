/**
 * The live page's cost to a run: `large` flat out with the server, turns/s with no page and
 * with the page open in Debian's Chromium (windows alternating, so the machine's drift hits
 * both alike), then with 50 event streams whose readers read nothing (the worst a page can
 * do to the server's memory): RSS and the bytes the server holds for them.
 */
import { existsSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import puppeteer from 'puppeteer-core';
import { parseCliArgs } from '../src/cli/args.js';
import { startRun } from '../src/cli/run.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export async function pageBench(seconds: number, rounds: number, jsonl: string): Promise<string[]> {
  if (!existsSync(CHROMIUM)) return [`live page: skipped, no Chromium at ${CHROMIUM}`];
  const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
  const run = await startRun(
    parseCliArgs(['--scenario', 'large', '--seed', '1', '--interval', '0', '--port', '0', '--quiet', '--jsonl', jsonl]),
    silent,
  );
  const turn = () => run.loop.latest()?.turn ?? 0;
  const rate = async () => {
    const [t0, at0] = [turn(), performance.now()];
    await sleep(seconds * 1000);
    return (turn() - t0) / ((performance.now() - at0) / 1000);
  };
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  await sleep(2_000);
  const without: number[] = [];
  const withPage: number[] = [];
  let pageTurnLag = 0;
  for (let i = 0; i < rounds; i++) {
    without.push(await rate());
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(run.url!, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]');
    // Its first load (the charts' data, the tables) is over before the window starts.
    await sleep(1_000);
    withPage.push(await rate());
    pageTurnLag = Math.max(pageTurnLag, turn() - Number(await page.$eval('#turn', (e) => e.textContent)));
    await page.close();
    await sleep(1_000);
  }
  await browser.close();
  // Chromium's exit takes the cores for a moment.
  await sleep(2_000);

  // 50 streams that are never read.
  const rssBefore = process.memoryUsage().rss;
  const streams = await Promise.all(
    Array.from(
      { length: 50 },
      () =>
        new Promise<IncomingMessage>((resolve, reject) => {
          const req = request(`${run.url}/api/live/events`, (res) => {
            res.pause();
            resolve(res);
          });
          req.on('error', reject);
          req.end();
        }),
    ),
  );
  const turnsBefore = turn();
  const stalledRate = await rate();
  const rssMiddle = process.memoryUsage().rss;
  await sleep(seconds * 1000);
  const rssAfter = process.memoryUsage().rss;
  for (const s of streams) s.destroy();
  const played = turn() - turnsBefore;
  await run.stop();
  const drop = ((median(withPage) - median(without)) / median(without)) * 100;
  return [
    `live page: large flat out, ${median(without).toFixed(0)} turns/s with no page, ${median(withPage).toFixed(0)} with the page open in Chromium (${drop >= 0 ? '+' : ''}${drop.toFixed(1)} %; median of ${rounds} windows of ${seconds} s each, alternating); the page's turn at most ${pageTurnLag} turns behind`,
    `live page: 50 event streams never read, for ${2 * seconds} s (${played} turns, ${stalledRate.toFixed(0)} turns/s in the first half): RSS ${mib(rssBefore)} before them, ${mib(rssMiddle)} after ${seconds} s, ${mib(rssAfter)} after ${2 * seconds} s`,
  ];
}
