/*
 * The architecture rules live in eslint.config.js; these probes check that they fire,
 * wherever a file sits in a layer's folders. Each probe is source text linted as if it were
 * at the given path: nothing is written under src/.
 */
import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  // The project's config with type information off: probes are not files of the TypeScript
  // project, and the architecture rules read imports and syntax only.
  eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
});

/** The rule ids reported for `code` as the file at `path`. */
async function rulesFor(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint holds the layers at any depth', () => {
  it.each([
    ['src/services/domains/probe.ts', "import { METRICS } from '../../monitoring/metrics/catalogue.js';"],
    ['src/services/history/probe.ts', "import { loadAppBuilder } from '../../monitoring/index.js';"],
    ['src/monitoring/jsonl/probe.ts', "import { parseArgs } from '../../cli/args.js';"],
    ['src/simulation/phases/probe.ts', "import { createTurnLoop } from '../../services/index.js';"],
  ])('%s may not import upward', async (path, line) => {
    expect(await rulesFor(path, `${line}\nexport const probe = 1;\n`)).toContain('import-x/no-restricted-paths');
  });

  it.each([
    ['src/services/domains/probe.ts', "import { createRng } from '../../simulation/rng.js';"],
    ['src/monitoring/metrics/probe.ts', "import { createHistory } from '../../services/history/history.js';"],
    ['src/cli/probe.ts', "import { METRICS } from '../monitoring/metrics/catalogue.js';"],
  ])('%s reaches a lower layer through its index.ts only', async (path, line) => {
    expect(await rulesFor(path, `${line}\nexport const probe = 1;\n`)).toContain('import-x/no-restricted-paths');
  });

  it('lets a nested file import a lower layer through its front door', async () => {
    const code = "import { createRng } from '../../simulation/index.js';\nexport const probe = createRng;\n";
    expect(await rulesFor('src/services/domains/probe.ts', code)).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    // run-config.ts imports service-options.ts: importing it back closes a cycle.
    const path = 'src/services/service-options.ts';
    const code = `import { parseRunConfig } from './run-config.js';\nexport const probe = parseRunConfig;\n${readFileSync(path, 'utf8')}`;
    expect(await rulesFor(path, code)).toContain('import-x/no-cycle');
    expect(await rulesFor(path, readFileSync(path, 'utf8'))).toEqual([]);
  });
});

describe('lint keeps src/simulation pure, in nested folders too', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;", 'no-restricted-imports'],
    ["import Fastify from 'fastify';\nexport const probe = Fastify;", 'no-restricted-imports'],
    ['export const probe = Math.random();', 'no-restricted-properties'],
    ['export const probe = Date.now();', 'no-restricted-properties'],
    ['export const probe = new Date();', 'no-restricted-globals'],
    ['export const probe = performance.now();', 'no-restricted-properties'],
    ["export const probe = process.env['X'];", 'no-restricted-globals'],
    ['export const probe = setTimeout;', 'no-restricted-globals'],
  ])('refuses %s', async (code, rule) => {
    expect(await rulesFor('src/simulation/events/probe.ts', `${code}\n`)).toContain(rule);
  });

  it('refuses a bare Error anywhere in src', async () => {
    const code = "export function probe(): never {\n  throw new Error('x');\n}\n";
    expect(await rulesFor('src/monitoring/http/probe.ts', code)).toContain('no-restricted-syntax');
  });
});

/** Every .ts file under `dir`. */
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('src has no import cycle', () => {
  it('counting type-only imports too, which import-x/no-cycle skips', () => {
    const files = sourceFiles('src').map((f) => resolve(f));
    const edges = new Map(
      files.map((file) => {
        const text = readFileSync(file, 'utf8');
        const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
          resolve(dirname(file), `${m[1]}.ts`),
        );
        return [file, targets];
      }),
    );
    expect(edges.size).toBeGreaterThan(50);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => f.slice(f.indexOf('/src/') + 1)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
