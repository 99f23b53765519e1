import { readFileSync } from 'node:fs';
import { buildApp } from '../../src/monitoring/http/app.js';
import { type AppDeps, createExporter, type JsonlStats } from '../../src/monitoring/index.js';
import { createTurnLoop, loadRunConfig, type TurnLoop } from '../../src/services/index.js';
import { createSimulation } from '../../src/simulation/index.js';

/** A turn loop on a preset (or a scenario object), with `turns` already played. */
export function loopFor(scenario: string | object, seed: number, turns: number, overrides: object = {}): TurnLoop {
  const text =
    typeof scenario === 'string' ? readFileSync(`scenarios/${scenario}.json`, 'utf8') : JSON.stringify(scenario);
  const base = loadRunConfig(text);
  const config = { ...base, ...overrides };
  const loop = createTurnLoop({ simulation: createSimulation(config.scenario, seed), config });
  for (let i = 0; i < turns; i++) loop.runTurn();
  return loop;
}

/** The app over a turn loop, as the CLI builds it (no listen). */
export function appFor(
  loop: TurnLoop,
  options: {
    seriesBudget?: number;
    jsonl?: () => JsonlStats | undefined;
    startedAtMs?: number;
    wallMs?: () => number;
    logger?: AppDeps['logger'];
    controls?: AppDeps['controls'];
    controlToken?: string;
    requestTimeoutMs?: number;
  } = {},
) {
  const exporter = createExporter({
    loop,
    seriesBudget: options.seriesBudget ?? 50,
    ...(options.jsonl ? { jsonl: options.jsonl } : {}),
  });
  const app = buildApp({
    loop,
    exporter,
    startedAtMs: options.startedAtMs ?? Date.now(),
    stallAfterSeconds: 10,
    ...(options.jsonl ? { jsonl: options.jsonl } : {}),
    ...(options.wallMs ? { wallMs: options.wallMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.controls ? { controls: options.controls } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.controlToken ? { controlToken: options.controlToken } : {}),
  });
  return { app, exporter };
}

/** Parses Prometheus text into samples: name, labels, value. */
export function parseExposition(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return samples;
}
