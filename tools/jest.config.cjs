module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'tools',
  testMatch: [
    '<rootDir>/{bench,latency,logs,pipeline,replay,local-stack,runtime,tune,package,deploy}/**/*.spec.ts',
  ],
};
