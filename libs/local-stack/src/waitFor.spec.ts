import { waitFor } from './waitFor';

/** A probe that answers from a script, one entry per call: `true`, `false` or an error to throw. */
function scriptedProbe(answers: Array<boolean | Error>) {
  let calls = 0;
  const probe = async (): Promise<boolean> => {
    const answer = answers[Math.min(calls++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { probe, calls: () => calls };
}

describe('waitFor', () => {
  it('polls until the probe holds', async () => {
    // Prepare
    const { probe, calls } = scriptedProbe([false, false, true]);

    // Act
    await waitFor(probe, { what: 'the table', timeoutMs: 60_000, intervalMs: 1 });

    // Assess
    expect(calls()).toBe(3);
  });

  it('rejects with the probe error by default', async () => {
    // Prepare
    const { probe, calls } = scriptedProbe([false, new Error('ResourceNotFoundException'), true]);

    // Act
    const act = waitFor(probe, { what: 'the table', timeoutMs: 60_000, intervalMs: 1 });

    // Assess
    await expect(act).rejects.toThrow('ResourceNotFoundException');
    expect(calls()).toBe(2);
  });

  it('counts a probe error as not ready yet when told to retry', async () => {
    // Prepare
    const { probe, calls } = scriptedProbe([new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), true]);

    // Act
    await waitFor(probe, { what: 'OpenSearch', timeoutMs: 60_000, intervalMs: 1, probeErrors: 'retry' });

    // Assess
    expect(calls()).toBe(3);
  });

  it('names what it waited for once the deadline has passed', async () => {
    // Prepare
    const { probe } = scriptedProbe([false]);

    // Act
    const act = waitFor(probe, { what: 'DynamoDB Local', timeoutMs: 0, intervalMs: 1 });

    // Assess
    await expect(act).rejects.toThrow('DynamoDB Local not ready after 0 ms');
  });

  it('gives up with the reason of the abort promise', async () => {
    // Prepare
    const { probe } = scriptedProbe([false]);
    const abort = Promise.reject<never>(new Error('exited (code 1)'));

    // Act
    const act = waitFor(probe, { what: 'OpenSearch', timeoutMs: 60_000, intervalMs: 1, abort });

    // Assess
    await expect(act).rejects.toThrow('exited (code 1)');
  });
});
