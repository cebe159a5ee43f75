import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// The layers: ui → state → validation → workers → core, never back; cli uses core and validation.
const layerZones = [
  {
    target: './src/core',
    from: ['./src/workers', './src/validation', './src/state', './src/ui', './src/cli'],
  },
  { target: './src/workers', from: ['./src/validation', './src/state', './src/ui', './src/cli'] },
  { target: './src/validation', from: ['./src/state', './src/ui', './src/cli'] },
  { target: './src/state', from: ['./src/ui', './src/cli'] },
  { target: './src/cli', from: ['./src/state', './src/ui'] },
  // Sample data stands apart: the app's examples, the tests and the bench all take from it.
  {
    target: './src/samples',
    from: [
      './src/core',
      './src/workers',
      './src/validation',
      './src/state',
      './src/ui',
      './src/cli',
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'build',
      'node_modules',
      'public/schemas',
      'test-results',
      'playwright-report',
      'bench/out',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // A slice adds its part to the editor's state as `interface EditorState extends ItsSlice {}`.
      '@typescript-eslint/no-empty-object-type': [
        'error',
        { allowInterfaces: 'with-single-extends' },
      ],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Each spread item is one argument: past ~100,000 the call overflows the stack (core's append).
    // The script generators push a few lines per step, by construction.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/core/repair-script.ts', 'src/core/redefine-script.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(push|unshift|splice)$/] > SpreadElement',
          message: 'use append(list, items): a long list spread into a call overflows the stack',
        },
      ],
    },
  },
  {
    // core (and the samples) run unchanged in the page, a Worker and Node: no Node APIs, no DOM globals.
    files: ['src/core/**/*.ts', 'src/samples/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'react', 'react-dom', 'zustand'],
              message: 'core is pure TypeScript',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'navigator'],
    },
  },
  {
    // The state layer is a tree: store.ts composes the slices, and nothing in src/state imports it
    // back (types come from editor-state.ts and editor-store.ts).
    files: ['src/state/**/*.ts'],
    ignores: ['src/state/index.ts', 'src/state/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./store.ts'],
              message:
                'the store composes the slices: take EditorState from editor-state.ts, EditorStore from editor-store.ts',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
