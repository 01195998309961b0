module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'workspace-plugin',
  testPathIgnorePatterns: ['/files/', '\\.e2e\\.spec\\.ts$'],
};
