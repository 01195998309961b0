// The generator end to end, in a copy of the workspace: slow (minutes), so it is the `e2e` target, not `test`.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'workspace-plugin e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
};
