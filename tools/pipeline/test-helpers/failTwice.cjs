// Fails the first two attempts of an event and succeeds on the third. Attempts are counted per request id in a
// file under `event.dir`, since each attempt may run in a fresh execution environment (as retries on Lambda may).
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

exports.handler = async (event, context) => {
  const file = join(event.dir, `attempts-${context.awsRequestId}`);
  const attempt = (existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0) + 1;
  writeFileSync(file, String(attempt));
  if (attempt <= 2) throw new Error(`attempt ${attempt} fails`);
  return { attempts: attempt };
};
