import { readFileSync } from 'node:fs';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// The apps are the functions of the pipeline contract (its consumers and ingest functions); each has its own scope.
const contract = JSON.parse(readFileSync(new URL('./libs/contract/pipeline.json', import.meta.url), 'utf8'));

/**
 * Module boundaries on two axes.
 * type: app (a deployable Lambda), runtime (code that ships inside bundles and talks to AWS),
 *       util (pure code, no I/O), testing (local services and emulators), tool (scripts under tools/).
 * scope: shared (libs), one scope per app (scope:<function of the pipeline contract>), infra (Terraform), tools.
 * Terraform's tests read the contract (a util).
 */
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:runtime', 'type:util'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:runtime', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:runtime', 'type:util'] },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:app', 'type:testing', 'type:runtime', 'type:util'],
  },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...[...Object.keys(contract.consumers), ...Object.keys(contract.ingest)].map((app) => ({
    sourceTag: `scope:${app}`,
    onlyDependOnLibsWithTags: ['scope:shared'],
  })),
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
];

// Tests may additionally use the local stack and the emulator; production code may not.
const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag.startsWith('type:') && c.sourceTag !== 'type:infra'
    ? {
        ...c,
        onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing', 'type:util'])],
      }
    : c,
);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', '**/tmp'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: [], depConstraints },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // noUncheckedIndexedAccess makes `!` after a checked index the honest idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Test fixtures (`@shardline/<lib>/testing`) are a second entry point of their lib, not a project of their own
    // (the lib's own specs use them, and a separate project would depend on the lib in a cycle), so a tag cannot
    // keep them out of bundles: this rule does.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/test-helpers/**', '**/*.bench.ts', '**/src/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@shardline/*/testing'],
              message:
                'test fixtures are for specs, test helpers, benchmarks and tools, not for production code',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test-helpers/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: [], depConstraints: testDepConstraints },
      ],
    },
  },
];
