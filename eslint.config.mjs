// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'client/out/', 'server/out/', 'test/out/', '.vscode-test/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['server/src/service/**/*.ts'],
    rules: {
      // The service is a pure library: no editor API, no LSP connection, no I/O.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'vscode',
            'vscode-languageserver',
            'vscode-languageserver/node',
            'fs',
            'node:fs',
            'child_process',
            'node:child_process',
            'net',
            'node:net',
            'http',
            'node:http',
            'https',
            'node:https',
          ],
          patterns: ['vscode-languageserver/*', 'fs/*', 'node:fs/*'],
        },
      ],
    },
  },
);
