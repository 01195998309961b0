import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

// The generator end to end: a consumer generated in a copy of this workspace must pass what CI asks of every app,
// and the contract and Terraform checks must accept it, with no other edit.
const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const NAME = 'e2e-counter';
// Not copied: installed or produced locally; node_modules is linked instead.
const SKIPPED = new Set(['node_modules', 'dist', 'tmp', '.nx', '.git', 'coverage']);

let copy: string;
const timings: Array<[string, number]> = [];

/** Runs a command in the copy, timed; its output is shown only when it fails. */
function run(label: string, command: string, args: string[]): string {
  const started = Date.now();
  try {
    return execFileSync(command, args, {
      cwd: copy,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${label} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  } finally {
    timings.push([label, Date.now() - started]);
  }
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'shardline-e2e-'));
  cpSync(ROOT, copy, {
    recursive: true,
    filter: (source) => {
      const path = relative(ROOT, source);
      return path === '' || !SKIPPED.has(path.split(sep)[0]!);
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  // A repository of its own, so that `nx affected` compares the generated files with the copy as it was.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: copy, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=e2e', '-c', 'user.email=e2e@localhost', 'commit', '-q', '-m', 'copy');
}, 120_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
  const total = timings.reduce((n, [, ms]) => n + ms, 0);
  console.log(
    [
      `generator end to end: ${(total / 1000).toFixed(1)} s`,
      ...timings.map(([l, ms]) => `  ${l}: ${(ms / 1000).toFixed(1)} s`),
    ].join('\n'),
  );
});

describe('a generated consumer in a copy of the workspace', () => {
  it('is declared in the contract and passes lint, typecheck, test and package', () => {
    // Act
    run('generate', 'npx', ['nx', 'g', '@shardline/workspace:consumer', NAME, '--stream', 'enriched']);
    run('lint typecheck test package', 'npx', [
      'nx',
      'run-many',
      '-t',
      'lint',
      'typecheck',
      'test',
      'package',
      '-p',
      NAME,
      '--output-style=static',
    ]);

    // Assess
    const contract = JSON.parse(readFileSync(join(copy, 'libs/contract/pipeline.json'), 'utf8'));
    expect(contract.consumers[NAME].stream).toBe('enriched');
    expect(
      readFileSync(join(copy, 'dist/packages', `${NAME}.zip`))
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  }, 600_000);

  it('is accepted by the contract checks and the Terraform checks', () => {
    // Act
    run('contract checks', 'npx', [
      'jest',
      '-c',
      'libs/contract/jest.config.cjs',
      'libs/contract/src/checkContract.spec.ts',
    ]);
    run('terraform tests', 'npx', ['nx', 'run', 'terraform:test', '--output-style=static']);
    run('terraform check', 'bash', ['tools/terraform/check.sh']);
  }, 600_000);

  it('is named by nx affected, with the Terraform project', () => {
    // Act
    const affected = run('nx affected', 'npx', [
      'nx',
      'show',
      'projects',
      '--affected',
      '--base=HEAD',
      '--json',
    ]);

    // Assess
    expect(JSON.parse(affected)).toEqual(expect.arrayContaining([NAME, 'terraform']));
  }, 120_000);
});
