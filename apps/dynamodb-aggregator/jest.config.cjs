module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'dynamodb-aggregator',
};
