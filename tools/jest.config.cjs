module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'tools',
  testMatch: ['<rootDir>/{bench,pipeline,replay,local-stack,package,deploy}/**/*.spec.ts'],
};
