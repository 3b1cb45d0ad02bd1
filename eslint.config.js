import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeOnlyModules = ['electron', 'electron/*', 'node:*', '@aws-sdk/*', '@smithy/*'];
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'stream',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'out',
      'release',
      '.s3-local',
      'test-artifacts',
      'bench-results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'The renderer never gets Node.' })),
          patterns: [
            {
              group: nodeOnlyModules,
              message: 'The renderer never gets Node, Electron or the AWS SDK.',
            },
            {
              group: ['**/main/**'],
              message: 'The renderer talks to main only through the preload API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/transfer/**', 'main/s3/**', 'main/credentials/**', 'main/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Engine code is plain Node: no Electron here.' }],
          patterns: [{ group: ['**/renderer/**', '**/ipc/**'], message: 'Wrong layer.' }],
        },
      ],
    },
  },
  {
    files: ['preload/contract.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['*'], message: 'The contract holds types and channel names only.' }],
        },
      ],
    },
  },
);
