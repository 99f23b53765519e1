import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The layers, lowest first: each imports only those below it (cli -> monitoring -> services -> simulation). */
const LAYERS = ['simulation', 'services', 'monitoring', 'cli'];

/**
 * Zones of import-x/no-restricted-paths, which match resolved files at any folder depth: no
 * layer imports one above it, and a layer reaches one below only through its index.ts.
 */
const layerZones = LAYERS.flatMap((layer, i) => [
  ...LAYERS.slice(i + 1).map((above) => ({
    target: `./src/${layer}`,
    from: `./src/${above}`,
    message: `imports point one way: cli -> monitoring -> services -> simulation`,
  })),
  ...LAYERS.slice(0, i).map((below) => ({
    target: `./src/${layer}`,
    from: `./src/${below}`,
    except: ['./index.ts'],
    message: `import the ${below} layer through its index.ts only`,
  })),
]);

export default defineConfig(
  { ignores: ['node_modules/', 'logs/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      // import-x parses the files it follows (for no-cycle) with the TypeScript parser.
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      // Fastify hooks and handlers are async by contract: the promise says they are done.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests and benchmarks read JSON bodies and parsed lines, which are `any` by nature.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  {
    // Examples and build scripts run under Node.
    files: ['examples/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The live page runs in the browser.
    files: ['src/monitoring/live/page/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'fetch',
          'performance',
          'EventSource',
          'ResizeObserver',
          'IntersectionObserver',
          'setTimeout',
          'setInterval',
          'clearInterval',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "ThrowStatement > NewExpression[callee.name='Error']",
          message: "throw an error from the layer's catalogue (errors.ts), not a bare Error",
        },
      ],
    },
  },
  {
    files: ['src/simulation/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.|@sinclair/typebox)',
              message: 'src/simulation is pure: relative imports and @sinclair/typebox only',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use the injected seeded Rng' },
        { object: 'Date', property: 'now', message: 'time in the engine is the turn number' },
        { object: 'performance', property: 'now', message: 'time in the engine is the turn number' },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Date', 'performance'],
    },
  },
);
