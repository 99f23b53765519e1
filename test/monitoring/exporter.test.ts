import { describe, expect, it } from 'vitest';
import { appFor, parseExposition, loopFor } from './fixtures.js';

describe('a scrape sees one whole turn', () => {
  it('never mixes two turns while the loop runs flat out', async () => {
    const loop = loopFor('default', 6, 1);
    const budgets = new Map<number, number>();
    const refills = new Map<number, number>();
    loop.subscribe((s) => {
      budgets.set(s.turn, s.budget.total);
      refills.set(s.turn, s.event.counts.budget_refill);
    });
    const { app } = appFor(loop);
    // Real HTTP, so scrapes and turns interleave as they do in production.
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const running = loop.run();
    const seenTurns = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const samples = parseExposition(await (await fetch(`${url}/metrics`)).text());
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
      const turn = value('tradesim_turn')!;
      seenTurns.add(turn);
      expect(value('tradesim_turns_total')).toBe(turn);
      expect(value('tradesim_budget', { stat: 'total' })).toBe(budgets.get(turn));
      expect(value('tradesim_events_total', { type: 'budget_refill' })).toBe(refills.get(turn));
    }
    await loop.stop();
    await running;
    await app.close();
    // The loop really moved on between scrapes.
    expect(seenTurns.size).toBeGreaterThan(5);
  });
});

describe('what the exporter counts as a scrape', () => {
  it('a GET of /metrics answered, not a HEAD: its pace, and the next one awaited', async () => {
    const loop = loopFor('default', 6, 0);
    const { app, exporter } = appFor(loop);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    loop.runTurn();
    expect((await fetch(`${url}/metrics`, { method: 'HEAD' })).status).toBe(200);
    expect(exporter.scraped()).toBe(false);
    await fetch(`${url}/metrics`);
    expect(exporter.scraped()).toBe(true);
    expect(exporter.scrapeIntervalMs()).toBeUndefined();
    await fetch(`${url}/health`);
    expect(exporter.scrapeIntervalMs()).toBeUndefined();
    await fetch(`${url}/metrics`);
    expect(exporter.scrapeIntervalMs()).toBeGreaterThanOrEqual(0);
    // The pace is the longest of the last intervals: a quick GET between two does not shorten it.
    await new Promise((resolve) => setTimeout(resolve, 120));
    await fetch(`${url}/metrics`);
    await fetch(`${url}/metrics`);
    expect(exporter.scrapeIntervalMs()).toBeGreaterThanOrEqual(100);
    const next = exporter.nextScrape(60_000);
    await fetch(`${url}/metrics`);
    expect(await next).toBe(true);
    expect(await exporter.nextScrape(1)).toBe(false);
    // An answer rendered before the wait (its render done, its gzip and send under way) carries
    // the state before: only an answer once a render has begun since counts.
    const after = exporter.nextScrape(60_000);
    const woken = { now: false };
    void after.then(() => (woken.now = true));
    exporter.recordRequest('GET', '/metrics', 200, 0);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(woken.now).toBe(false);
    await exporter.render();
    exporter.recordRequest('GET', '/metrics', 200, 0);
    expect(await after).toBe(true);
    await app.close();
  });
});
