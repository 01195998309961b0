// Every invocation fails, as an importer given a file it can never read would.
exports.handler = async () => {
  throw new TypeError('the object cannot be read');
};
