module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'esm-emulator',
};
