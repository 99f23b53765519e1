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

/**
 * In the page: whether every chart has drawn `points` turns. A chart out of view is not drawn
 * (the page's own saving), so the first that has not is scrolled into view.
 */
function everyChartDrawn(points: number): boolean {
  const lacking = [...document.querySelectorAll('.chart')].find(
    (c) => Number((c as HTMLElement).dataset.points) < points,
  );
  lacking?.scrollIntoView();
  return lacking === undefined;
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
    await page.waitForFunction(everyChartDrawn, { timeout: 15_000 }, 5);
    const charts = await page.$$eval('.chart', (cs) => cs.map((c) => (c as HTMLElement).dataset.chart));
    expect(charts).toEqual(['budget', 'prices', 'transactions', 'supply', 'cover', 'slo', 'turn']);
    // The backlog of orders that wait and the error budget are among the lines drawn.
    expect(await page.$eval('.chart[data-chart="supply"]', (c) => c.textContent ?? '')).toContain('backlog');
    expect(await page.$eval('.chart[data-chart="slo"]', (c) => c.textContent ?? '')).toContain('error budget left');
    expect(await page.$$eval('.chart canvas', (cs) => cs.length)).toBe(7);
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
    // Time must pass to show no turn comes: twenty intervals of the run.
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

  it('keeps every chart scaled through turns with nothing to measure, labels turns by simulated time, refuses an empty interval', async () => {
    // classic: turns with no purchase (no paid price, no fill rate) come every few turns.
    const { url } = await serve(['--scenario', 'classic', '--seed', '3', '--interval', '30']);
    const { page, problems } = await openPage(browser, `${url}/?axis=time`);
    await page.waitForFunction(everyChartDrawn, { timeout: 15_000 }, 60);
    const ranges = await page.$$eval('.chart', (cs) =>
      cs.map((c) => [(c as HTMLElement).dataset.chart, (c as HTMLElement).dataset.yRange]),
    );
    for (const [chart, range] of ranges) {
      const [min, max] = range!.split(',').map(Number);
      expect(Number.isFinite(min) && Number.isFinite(max), `${chart}: ${range}`).toBe(true);
    }
    // The x axis in simulated time: the first turn drawn labelled by its date and hour.
    const live = (await (await fetch(`${url}/api/live`)).json()) as {
      calendar: { startSeconds: number; turnMinutes: number };
    };
    const firstX = await page.$eval('.chart', (c) => (c as HTMLElement).dataset.firstX);
    expect(firstX).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(live.calendar.turnMinutes).toBeGreaterThan(0);
    expect(await page.$eval('#axis', (a) => (a as HTMLSelectElement).value)).toBe('time');
    // An empty interval is refused on the page, not sent as 0 (flat out).
    const before = (await (await fetch(`${url}/api/live/update`)).json()) as { header: { intervalMs: number } };
    await page.$eval('#interval', (i) => ((i as HTMLInputElement).value = ''));
    await page.click('#set-interval');
    await page.waitForFunction(() => /whole number/.test(document.getElementById('message')?.textContent ?? ''));
    const after = (await (await fetch(`${url}/api/live/update`)).json()) as { header: { intervalMs: number } };
    expect(after.header.intervalMs).toBe(before.header.intervalMs);
    expect(problems).toEqual([]);
  });

  it('keeps up with a flat-out run, by events and by polling when EventSource is missing', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '3', '--interval', '0']);
    const { page, problems } = await openPage(browser, url);
    // Every turn the page shows, in order: it never goes back.
    await page.evaluate(() => {
      const turn = document.getElementById('turn')!;
      const shown: number[] = [];
      (window as { shownTurns?: number[] }).shownTurns = shown;
      new MutationObserver(() => shown.push(Number(turn.textContent))).observe(turn, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    // However fast the run and however loaded the machine, the page reaches each turn the run
    // had served when asked, and a newer one than it showed, again and again: it does not fall
    // behind.
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const served = Math.max(await healthTurn(url), last + 1);
      await page.waitForFunction(
        (t) => Number(document.getElementById('turn')?.textContent) >= t,
        { timeout: 3_000 },
        served,
      );
      last = await turnOf(page);
    }
    const shown = await page.evaluate(() => (window as { shownTurns?: number[] }).shownTurns!);
    expect(new Set(shown).size).toBeGreaterThanOrEqual(5);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    // The run's rate, which the run measures over its last second of turns: a whole number of
    // turns a second, not 0 or '-' (nothing measured) while it runs flat out.
    await page.waitForFunction(() => Number(document.getElementById('rate')?.textContent) > 0);
    expect(Number.isInteger(Number(await textOf(page, 'rate')))).toBe(true);

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
    // A marker is labelled under its chart when the cursor is on it (the last 200 turns drawn).
    const over = await page.$eval('.chart[data-chart="budget"] .u-over', (o) => {
      const r = o.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height };
    });
    await page.mouse.move(over.left + ((920 - 801) / (1000 - 801)) * over.width, over.top + over.height / 2);
    await page.waitForFunction(
      () =>
        document
          .querySelector('.chart[data-chart="budget"] .marker-hover')
          ?.textContent?.includes('credit freeze starts'),
      { timeout: 5_000 },
    );
    await page.select('#window', 'all');
    await page.waitForFunction(() => Number((document.querySelector('.chart') as HTMLElement).dataset.points) > 200);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUT}/live-page-crisis-1280x800.png` });
    await page.screenshot({ path: `${OUT}/live-page-crisis.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('draws its charts from the data sent with the HTML, before any request for data', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '4', '--interval', '20']);
    await waitFor('a few turns', async () => ((await healthTurn(url)) >= 20 ? true : undefined));
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    // Every request for data held back: what the page draws came with the HTML.
    await page.setRequestInterception(true);
    page.on('request', (r) => void (r.url().includes('/api/') ? r.abort() : r.continue()));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(everyChartDrawn, { timeout: 5_000 }, 20);
    expect(await page.$eval('#scenario', (e) => e.textContent)).toBe('default');
    await new Promise((r) => setTimeout(r, 1_000));
    await page.screenshot({ path: `${OUT}/live-page-first-paint.png` });
    await page.close();
  });

  it('draws every turn of the last 200 of a run at 60+ turns/s, and its tables fit their cards', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '6', '--interval', '0']);
    const { page, problems } = await openPage(browser, url);
    const first = await healthTurn(url);
    for (const after of [first + 400, first + 1_500]) {
      await page.waitForFunction(
        (t) => {
          const c = document.querySelector('.chart') as HTMLElement;
          return Number(document.getElementById('turn')?.textContent) > t && Number(c.dataset.points) >= 200;
        },
        { timeout: 15_000 },
        after,
      );
      // Those below the fold too: each drawn once in view.
      await page.waitForFunction(everyChartDrawn, { timeout: 15_000 }, 200);
      await page.evaluate(() => window.scrollTo(0, 0));
      const charts = await page.$$eval('.chart', (cs) => cs.map((c) => (c as HTMLElement).dataset.gaps));
      expect(charts).toHaveLength(7);
      expect(charts.every((gaps) => gaps === '0')).toBe(true);
    }
    expect(Number(await textOf(page, 'rate'))).toBeGreaterThan(60);
    // The turn duration has its own legend (not "turn", as the x axis) and is drawn in ms.
    expect(await page.$eval('.chart[data-chart="turn"]', (c) => c.textContent ?? '')).toContain('turn duration');
    const view = (await (await fetch(`${url}/api/live`)).json()) as {
      charts: { id: string; units: string[]; series: { scale?: number }[] }[];
    };
    expect(view.charts.find((c) => c.id === 'turn')).toMatchObject({
      units: ['milliseconds'],
      series: [{ scale: 1000 }],
    });
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844, isMobile: true },
    ]) {
      await page.setViewport(viewport);
      await page.waitForFunction(
        () => [...document.querySelectorAll('.entity tbody')].every((b) => b.querySelectorAll('tr').length > 0),
        { timeout: 10_000 },
      );
      const overflow = await page.$$eval('.entity', (boxes) =>
        boxes.map((b) => b.querySelector('table')!.scrollWidth - b.clientWidth + 20),
      );
      expect(
        overflow.every((px) => px <= 0),
        `${viewport.width}px: ${overflow.join(', ')}`,
      ).toBe(true);
    }
    expect(problems).toEqual([]);
  });

  it('starts a market shock from its panel, shows it in force and stops it', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '8', '--interval', '50']);
    const { page, problems } = await openPage(browser, url);
    await page.waitForSelector('#shock-kind option');
    await page.select('#shock-kind', 'credit_freeze');
    await page.type('#shock-form input[name="severity"]', '0.8');
    await page.type('#shock-form input[name="turns"]', '500');
    await page.click('#start-shock');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#shocks-in-force li.in-force')].some((li) =>
          li.textContent?.includes('credit freeze'),
        ),
      { timeout: 10_000 },
    );
    const listed = (await (await fetch(`${url}/api/shocks`)).json()) as {
      shocks: { index: number; source: string; shock: { severity: number; turns: number } }[];
    };
    const live = listed.shocks.find((x) => x.source === 'live')!;
    expect(live.shock).toMatchObject({ shock: 'credit_freeze', severity: 0.8, turns: 500 });
    await page.click(`#shocks-in-force li[data-index="${live.index}"] button.stop`);
    await page.waitForFunction(
      (i) => !document.querySelector(`#shocks-in-force li[data-index="${i}"]`),
      { timeout: 10_000 },
      live.index,
    );
    const record = ((await (await fetch(`${url}/api/shocks`)).json()) as { record: { action: string }[] }).record;
    expect(record.map((r) => r.action)).toEqual(['start', 'stop']);
    // A fault from its form: the loop stalls, and the stop button frees it. A value typed for
    // another kind (an errors fault's share) is hidden with its field and not sent.
    await page.select('#fault-kind', 'errors');
    await page.type('#fault-form input[name="share"]', '0.5');
    await page.select('#fault-kind', 'stall');
    expect(await page.$eval('#fault-form input[name="share"]', (e) => (e.closest('label') as HTMLElement).hidden)).toBe(
      true,
    );
    await page.click('#start-fault');
    await page.waitForSelector('#faults-on li[data-fault="stall"]');
    await page.click('#faults-on li[data-fault="stall"] button.stop');
    await page.waitForFunction(() => !document.querySelector('#faults-on li[data-fault]'), { timeout: 10_000 });
    expect(problems).toEqual([]);
  });

  it('opens at the turn /?turn=N names, in the whole run when it is older than the last turns', async () => {
    const { url } = await serve(['--scenario', 'default', '--seed', '9', '--interval', '0']);
    await waitFor('turn 600', async () => ((await healthTurn(url)) >= 600 ? true : undefined));
    const { page, problems } = await openPage(browser, `${url}/?turn=120`);
    expect(await page.$eval('#window', (w) => (w as HTMLSelectElement).value)).toBe('all');
    expect(problems).toEqual([]);
  });
});
