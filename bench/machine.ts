/**
 * What a benchmark ran on, for its first line: figures on different processors are not
 * comparable (the services' share of a large turn depends on how much of the world stays in
 * the caches between the engine's phases and the services).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const CACHES = '/sys/devices/system/cpu/cpu0/cache';

/** The unified caches of the first core, as Linux lists them ("L2 1024K, L3 32768K"); '' elsewhere. */
function caches(): string {
  try {
    return readdirSync(CACHES)
      .filter((entry) => entry.startsWith('index'))
      .map((entry) => {
        const read = (file: string) => readFileSync(`${CACHES}/${entry}/${file}`, 'utf8').trim();
        return { level: read('level'), type: read('type'), size: read('size') };
      })
      .filter((cache) => cache.type === 'Unified')
      .map((cache) => `L${cache.level} ${cache.size}`)
      .join(', ');
  } catch {
    return '';
  }
}

/** "node v20.20.2, AMD EPYC x 2 (L2 1024K, L3 32768K)". */
export function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown processor';
  const sizes = caches();
  return `node ${process.version}, ${model} x ${cores.length}${sizes ? ` (${sizes})` : ''}`;
}
