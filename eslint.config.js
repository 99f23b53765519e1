import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** A layer reaches another only through its front door, index.ts. */
const frontDoorsOnly = (layers) =>
  layers.map((layer) => ({
    regex: `^\\.\\./(${layer})/(?!index\\.js$)`,
    message: `import the ${layer} layer through its index.ts only`,
  }));
/** Imports point one way: cli -> monitoring -> services -> simulation. */
const noUpwardImports = (layers) =>
  layers.map((layer) => ({ regex: `^\\.\\./${layer}/`, message: `this layer must not import ${layer}` }));

export default defineConfig(
  { ignores: ['node_modules/', 'logs/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
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
            ...noUpwardImports(['services', 'monitoring', 'cli']),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use the injected seeded Rng' },
        { object: 'Date', property: 'now', message: 'time in the engine is the turn number' },
        { object: 'performance', property: 'now', message: 'time in the engine is the turn number' },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Date'],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...frontDoorsOnly(['simulation']), ...noUpwardImports(['monitoring', 'cli'])] },
      ],
    },
  },
  {
    files: ['src/monitoring/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...frontDoorsOnly(['simulation', 'services']), ...noUpwardImports(['cli'])] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: frontDoorsOnly(['simulation', 'services', 'monitoring']) },
      ],
    },
  },
);
