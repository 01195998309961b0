module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'tools',
  testMatch: ['<rootDir>/{bench,latency,pipeline,replay,local-stack,runtime,tune}/**/*.spec.ts'],
};
