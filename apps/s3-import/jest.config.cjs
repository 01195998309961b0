module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 's3-import',
};
