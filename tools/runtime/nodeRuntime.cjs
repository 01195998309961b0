// The Node.js major the functions deploy to, declared once in the repository's `.nvmrc`. Plain CommonJS so that
// Nx can load the bundles' esbuild config (which reads it) under any Node, without a TypeScript loader.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const NODE_RUNTIME_FILE = join(__dirname, '..', '..', '.nvmrc');

function parseNodeRuntime(text, file = NODE_RUNTIME_FILE) {
  const value = text.trim();
  // A bare major: Terraform interpolates the file's text as is into `nodejs<major>.x`.
  if (!/^[1-9][0-9]*$/.test(value)) {
    throw new Error(`${file} must hold the Node.js major alone (e.g. "22"), found ${JSON.stringify(value)}`);
  }
  const major = Number(value);
  return { major, lambdaRuntime: `nodejs${major}.x`, esbuildTarget: `node${major}` };
}

function readNodeRuntime(file = NODE_RUNTIME_FILE) {
  return parseNodeRuntime(readFileSync(file, 'utf8'), file);
}

module.exports = { NODE_RUNTIME_FILE, parseNodeRuntime, readNodeRuntime };
