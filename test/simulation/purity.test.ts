import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = 'src/simulation';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Packages the engine may import: the schema library, nothing with I/O or a clock. */
const ALLOWED_PACKAGES = ['@sinclair/typebox'];
const FORBIDDEN_CALLS =
  /\b(Math\.random|Date\.now|performance\.now|new Date|process\.|setTimeout|setInterval)\b/;

describe('src/simulation stays pure', () => {
  const files = sourceFiles(ROOT);

  it('finds the layer', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s imports only relative modules and the schema library', (file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] ?? m[2] ?? '');
    for (const spec of specifiers) {
      const ok =
        spec.startsWith('./') ||
        spec.startsWith('../') ||
        ALLOWED_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`));
      expect(ok, `${file} imports ${spec}`).toBe(true);
    }
  });

  it.each(files)('%s takes no randomness or time from the platform', (file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code.match(FORBIDDEN_CALLS)?.[0], file).toBeUndefined();
  });
});
