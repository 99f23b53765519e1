import { describe, expect, it } from 'vitest';
import { appFor, loopFor } from '../fixtures.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';

describe('exemplars', () => {
  it('lead from the turn histogram and the transaction counters to a run and a turn, in OpenMetrics', async () => {
    const loop = loopFor('default', 4, 0);
    const { app } = appFor(loop);
    for (let t = 0; t < 12; t++) loop.runTurn();
    const text = (await app.inject({ url: '/metrics', headers: { accept: OPENMETRICS } })).body;
    const bucket = text
      .split('\n')
      .filter((l) => l.startsWith('tradesim_turn_duration_seconds_bucket') && l.includes(' # '));
    expect(bucket.length).toBeGreaterThan(0);
    expect(bucket[0]).toMatch(new RegExp(`# \\{run_id="${loop.runId}",turn="\\d+"\\} [0-9.e-]+ \\d+\\.?\\d*$`));
    const success = text.split('\n').find((l) => l.startsWith('tradesim_transactions_total{outcome="success"'));
    const thisTurn = loop.latest()!.transaction.successes;
    expect(success).toContain(`# {run_id="${loop.runId}",turn="12"} ${thisTurn} `);
    // The latest observation of its bucket: the turn numbers are turns that were played.
    const turns = [...text.matchAll(/turn="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...turns)).toBe(12);
  });

  it('are left out of the Prometheus text format', async () => {
    const { app } = appFor(loopFor('default', 4, 3));
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(text).toContain('tradesim_transactions_total{outcome="success"');
    expect(text).not.toContain(' # {');
  });
});
