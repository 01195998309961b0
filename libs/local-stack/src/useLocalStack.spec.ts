import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStackStateError } from './errors';
import { isListening } from './test-helpers/processes';
import { readLocalStackState, useLocalStack } from './useLocalStack';

describe('useLocalStack', () => {
  let directory: string;
  const saved = process.env.SHARDLINE_LOCAL_STACK;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'local-stack-spec-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
    if (saved === undefined) delete process.env.SHARDLINE_LOCAL_STACK;
    else process.env.SHARDLINE_LOCAL_STACK = saved;
  });

  function writeState(content: unknown): string {
    const file = join(directory, 'local-stack.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  it('connects to the shared stack when it runs every requested service', async () => {
    // Prepare
    const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:1' };
    process.env.SHARDLINE_LOCAL_STACK = writeState({
      endpoints: { kinesis: 'http://127.0.0.1:1' },
      region: 'us-east-1',
      env,
    });

    // Act
    const stack = await useLocalStack(['kinesis']);
    await stack.stop();

    // Assess
    expect(stack.endpoints).toEqual({ kinesis: 'http://127.0.0.1:1' });
    expect(stack.env()).toEqual(env);
  });

  it('starts a private stack when the shared one lacks a requested service', async () => {
    // Prepare
    process.env.SHARDLINE_LOCAL_STACK = writeState({
      endpoints: { s3: 'http://127.0.0.1:1' },
      region: 'us-east-1',
      env: {},
    });

    // Act
    const stack = await useLocalStack(['kinesis']);
    const endpoint = stack.endpoints.kinesis as string;
    const listeningWhileUp = await isListening(endpoint);
    await stack.stop();

    // Assess
    expect(endpoint).not.toBe('http://127.0.0.1:1');
    expect(listeningWhileUp).toBe(true);
    expect(await isListening(endpoint)).toBe(false);
  });

  it('starts a private stack when no shared stack is named', async () => {
    // Prepare
    delete process.env.SHARDLINE_LOCAL_STACK;

    // Act
    const stack = await useLocalStack(['kinesis']);
    await stack.stop();

    // Assess
    expect(stack.endpoints.kinesis).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('rejects a state file that is not JSON', async () => {
    // Prepare
    process.env.SHARDLINE_LOCAL_STACK = writeState('{ not json');

    // Act
    const stack = useLocalStack(['kinesis']);

    // Assess
    await expect(stack).rejects.toBeInstanceOf(LocalStackStateError);
  });

  it('rejects a state file with an unknown service', () => {
    // Prepare
    const file = writeState({ endpoints: { redis: 'http://127.0.0.1:1' }, region: 'us-east-1', env: {} });

    // Act
    const read = () => readLocalStackState(file);

    // Assess
    expect(read).toThrow(LocalStackStateError);
  });
});
