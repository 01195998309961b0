// Shared Jest settings: SWC transpiles TypeScript (type checking is the `typecheck` target's job),
// workspace path aliases resolve to sources, and ESM-only packages (middy v7, jose) are transpiled too.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

// Handlers under test log and emit EMF metrics to stdout as in Lambda; keep test output readable.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  if (alias.startsWith('@middy/')) continue;
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}
moduleNameMapper['^@middy/([a-z-]+)$'] = path.join(__dirname, 'node_modules/@middy/$1/index.js');

module.exports = {
  testEnvironment: 'node',
  reporters: ['default', path.join(__dirname, 'tools/ci/jestSummaryReporter.cjs')],
  transform: {
    '^.+\\.[cm]?[tj]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper,
};
