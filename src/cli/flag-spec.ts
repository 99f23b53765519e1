import { CliErrors } from './errors.js';

/** One `--shock` or `--fault` spec: `key=value` pairs, numbers read as numbers. */
export type FlagSpec = Readonly<Record<string, string | number>>;

/**
 * Parses `type=credit_freeze,at=+50,turns=100,severity=0.8`: `type` names the shock or fault,
 * `at=+N` is N turns after the run's start turn. Throws TRADESIM_ERR_CLI_FLAG_INVALID naming the flag.
 */
export function parseFlagSpec(flag: string, raw: string): FlagSpec {
  const spec: Record<string, string | number> = {};
  const bad = (why: string) => new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`${flag}: ${why}, got '${raw}'`);
  for (const pair of raw.split(',')) {
    const m = /^([a-zA-Z]+)=(.+)$/.exec(pair.trim());
    if (!m) throw bad("each part must be key=value, as 'type=credit_freeze,turns=100'");
    const [, key, value] = m as unknown as [string, string, string];
    if (Object.hasOwn(spec, key)) throw bad(`'${key}' given twice`);
    spec[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (typeof spec.type !== 'string') throw bad('needs type=NAME');
  return spec;
}
