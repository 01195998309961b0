module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'opensearch-indexer',
};
