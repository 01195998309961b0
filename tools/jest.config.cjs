module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'tools',
  testMatch: [
    '<rootDir>/{bench,latency,pipeline,replay,local-stack,runtime,tune,package,deploy}/**/*.spec.ts',
  ],
};
