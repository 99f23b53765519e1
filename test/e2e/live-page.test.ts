/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The callbacks given to page.evaluate and waitForFunction run in the browser.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, textOf } from './browser.js';
import { freePort, servingUrl, signal, type Spawned, startCli, waitFor } from './processes.js';

const OUT = 'test-output';
const turnOf = async (page: Page) => Number(await textOf(page, 'turn'));
const healthTurn = async (url: string) => ((await (await fetch(`${url}/health`)).json()) as { turn: number }).turn;

/** Every run started, stopped after the tests whatever happens to them. */
const runs: Spawned[] = [];

/** Starts the CLI on a free port and returns its URL. */
async function serve(args: readonly string[]): Promise<{ url: string }> {
  const port = await freePort();
  const run = startCli([...args, '--port', String(port), '--no-jsonl']);
  runs.push(run);
  return { url: await servingUrl(run) };
}

describe('the live page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const run of runs) signal(run, 'SIGKILL');
  });

  it('loads with no console error, draws every chart and fills the tables, at 1280x800 and on a phone', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '1', '--interval', '20']);
    const { page, problems } = await openPage(browser, url);
    // Every chart has points after a few turns, and every table has rows.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.chart')].every((c) => Number((c as HTMLElement).dataset.points) >= 5),
      { timeout: 15_000 },
    );
    const charts = await page.$$eval('.chart', (cs) => cs.map((c) => (c as HTMLElement).dataset.chart));
    expect(charts).toEqual(['budget', 'prices', 'transactions', 'supply', 'slo', 'turn']);
    expect(await page.$$eval('.chart canvas', (cs) => cs.length)).toBe(6);
    await page.waitForFunction(
      () => [...document.querySelectorAll('.entity tbody')].every((b) => b.querySelectorAll('tr').length > 0),
      { timeout: 10_000 },
    );
    expect(await textOf(page, 'scenario')).toBe('default');
    expect(await textOf(page, 'seed')).toBe('1');
    expect(await textOf(page, 'state')).toBe('running');
    // A sortable column sorts through the API: products by price, highest first.
    await page.click('.entity[data-kind="products"] th[data-sort="price"]');
    await page.waitForSelector('.entity[data-kind="products"] th.sorted[data-sort="price"]');
    const prices = await page.$$eval('.entity[data-kind="products"] tbody tr td:nth-child(4)', (tds) =>
      tds.map((td) => Number(td.textContent)),
    );
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUT}/live-page-1280x800.png` });

    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, { timeout: 5_000 });
    const chartWidth = await page.$eval('.chart canvas', (c) => c.getBoundingClientRect().width);
    expect(chartWidth).toBeGreaterThan(200);
    expect(chartWidth).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${OUT}/live-page-390x844.png`, fullPage: false });
    expect(problems).toEqual([]);
  });

  it('pauses, steps and resumes a paced run, and changes its interval', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '2', '--interval', '50']);
    const { page, problems } = await openPage(browser, url);
    await page.click('#pause');
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'paused');
    const paused = await turnOf(page);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await healthTurn(url)).toBe(paused);
    await page.click('#step');
    await page.waitForFunction((t) => Number(document.getElementById('turn')?.textContent) === t + 1, {}, paused);
    expect(await healthTurn(url)).toBe(paused + 1);
    await page.$eval('#interval', (i) => ((i as HTMLInputElement).value = '10'));
    await page.click('#set-interval');
    await page.click('#resume');
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'running');
    await page.waitForFunction((t) => Number(document.getElementById('turn')?.textContent) > t + 20, {}, paused);
    const health = (await (await fetch(`${url}/api/live/update`)).json()) as { header: { intervalMs: number } };
    expect(health.header.intervalMs).toBe(10);
    expect(problems).toEqual([]);
  });

  it('keeps up with a flat-out run, by events and by polling when EventSource is missing', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '3', '--interval', '0']);
    const { page, problems } = await openPage(browser, url);
    for (let i = 0; i < 3; i++) {
      const served = await healthTurn(url);
      await page.waitForFunction(
        (t) => Number(document.getElementById('turn')?.textContent) >= t,
        { timeout: 3_000 },
        served,
      );
    }
    expect(Number(await textOf(page, 'rate'))).toBeGreaterThan(100);

    const polling = await browser.newPage();
    await polling.evaluateOnNewDocument(() => {
      delete (window as { EventSource?: unknown }).EventSource;
    });
    await polling.goto(url, { waitUntil: 'load' });
    await polling.waitForSelector('body[data-ready="true"]');
    const served = await healthTurn(url);
    await polling.waitForFunction(
      (t) => Number(document.getElementById('turn')?.textContent) >= t,
      { timeout: 5_000 },
      served,
    );
    expect(problems).toEqual([]);
  });

  it('shows the firing alerts of a crisis, their transitions by rule and the shocks', async () => {
    const { url } = await serve([
      ...['--scenario', 'crisis', '--seed', '7', '--interval', '0', '--turns', '1000', '--linger', '60'],
    ]);
    await waitFor('the run to finish', async () => ((await healthTurn(url)) === 1000 ? true : undefined));
    const { page, problems } = await openPage(browser, url);
    await page.waitForSelector('#active-alerts tr.firing');
    const firing = await page.$$eval('#active-alerts tr.firing td:first-child', (tds) => tds.map((t) => t.textContent));
    expect(firing).toContain('budget_critical');
    expect(await textOf(page, 'firing')).toContain('budget_critical');
    expect(await textOf(page, 'state')).toBe('finished');
    // The lane of budget_critical has firing spans; the timeline's shocks are listed.
    expect(await page.$$eval('.lane[data-rule="budget_critical"] span.firing', (s) => s.length)).toBeGreaterThan(0);
    const markers = await page.$$eval('#markers li.marker-shock', (lis) => lis.map((li) => li.textContent));
    expect(markers).toContain('turn 920: credit freeze starts');
    await page.select('#window', 'all');
    await page.waitForFunction(() => Number((document.querySelector('.chart') as HTMLElement).dataset.points) > 200);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUT}/live-page-crisis-1280x800.png` });
    await page.screenshot({ path: `${OUT}/live-page-crisis.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
