// Writes each Jest project's totals to tmp/test-results/<project>.json, so `npm test` can print one closing
// line for the whole workspace ("N passed, N failed").
const fs = require('node:fs');
const path = require('node:path');

class JestSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(contexts, results) {
    const dir = path.join(__dirname, '..', '..', 'tmp', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    // Named by the project's display name where it has one: two configs of one project (test and e2e) share a
    // root directory and must not overwrite each other's totals.
    const display = [...contexts][0]?.config?.displayName?.name;
    const name = (
      display ??
      (path.relative(path.join(__dirname, '..', '..'), this.rootDir) || 'root')
    ).replace(/[\\/ ]/g, '-');
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}

module.exports = JestSummaryReporter;
