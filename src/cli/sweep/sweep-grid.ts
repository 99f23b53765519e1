import { CliErrors } from '../errors.js';

const fail = (message: string): never => {
  throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(message);
};

/** `1-500`, `7`, `1,5,9-12`: the seeds, in order, each once; at most `max` of them. */
export function parseSeeds(raw: string, max = 1_000_000): number[] {
  const seeds: number[] = [];
  const seen = new Set<number>();
  for (const part of raw.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) fail(`--seeds: expected N, N-M or a comma-separated list of them, got '${raw}'`);
    const from = Number(m![1]);
    const to = m![2] === undefined ? from : Number(m![2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
      fail(`--seeds: '${part.trim()}' is not a range from low to high`);
    }
    if (seeds.length + (to - from + 1) > max) fail(`--seeds: at most ${max.toLocaleString('en-US')} seeds`);
    for (let s = from; s <= to; s++) {
      if (!seen.has(s)) seeds.push(s);
      seen.add(s);
    }
  }
  return seeds;
}

/** Seeds as --seeds takes them, runs of consecutive ones as ranges: `1-3,5,9-12`. */
export function formatSeeds(seeds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length; i++) {
    let last = i;
    while (last + 1 < seeds.length && seeds[last + 1] === seeds[last]! + 1) last += 1;
    parts.push(last > i ? `${seeds[i]}-${seeds[last]}` : String(seeds[i]));
    i = last;
  }
  return parts.join(',');
}

/** One `--set KEY=V1,V2` flag: a dotted scenario key and the values to try. */
export interface SetFlag {
  readonly key: string;
  readonly values: readonly (number | string | boolean)[];
}

/** A decimal number as JSON writes it. */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses `market.selectionProbability=0.4,0.6`: numbers, true/false, or strings. */
export function parseSet(raw: string): SetFlag {
  const m = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)=(.+)$/.exec(raw.trim());
  if (!m) fail(`--set: expected KEY=VALUE[,VALUE...] with a dotted scenario key, got '${raw}'`);
  const values = m![2]!.split(',').map((v) => {
    const t = v.trim();
    if (t === 'true' || t === 'false') return t === 'true';
    // A number as JSON writes one (not 0x10, 1_000 or Infinity, which Number() takes): else a string.
    return DECIMAL.test(t) && Number.isFinite(Number(t)) ? Number(t) : t;
  });
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) fail(`--set ${m![1]}: the value ${String(twice)} is given twice (it would run twice)`);
  return { key: m![1]!, values };
}

/** One cell of the grid: the values of every --set key. */
export type Params = Readonly<Record<string, number | string | boolean>>;

/**
 * Every combination of the --set values (the first flag varies slowest), each played with
 * every seed: combinations outside, seeds inside. The order numbers the runs.
 */
export function gridOf(sets: readonly SetFlag[], seeds: readonly number[]): { params: Params; seed: number }[] {
  // A key given twice would take its last values in every cell, under two columns of one name.
  const twice = sets.find((set, i) => sets.findIndex((other) => other.key === set.key) !== i);
  if (twice) fail(`--set: ${twice.key} is given twice; give its values in one flag (${twice.key}=V1,V2)`);
  let combos: Params[] = [{}];
  for (const { key, values } of sets) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  return combos.flatMap((params) => seeds.map((seed) => ({ params, seed })));
}

/** The runs of part `index` of `count`: every count-th run from the index-th, so parts are even. */
export function partOf<T>(runs: readonly T[], index: number, count: number): T[] {
  return runs.filter((_, i) => i % count === index);
}
