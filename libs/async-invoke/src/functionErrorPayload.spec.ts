import { functionErrorPayload } from './functionErrorPayload';

describe('functionErrorPayload (what the Node.js runtime answers for a failed invocation)', () => {
  it('describes a thrown error by its name, message and stack lines', () => {
    // Prepare
    const error = new RangeError('line 7 is too long');

    // Act
    const payload = functionErrorPayload(error, { requestId: 'r-1', timedOutAfterSeconds: undefined });

    // Assess
    expect(payload).toEqual({
      errorType: 'RangeError',
      errorMessage: 'line 7 is too long',
      trace: error.stack!.split('\n'),
    });
  });

  it('describes an environment that exited as Runtime.ExitError, with the request id', () => {
    const payload = functionErrorPayload(new Error('Runtime exited with error: signal: killed'), {
      requestId: 'r-2',
      timedOutAfterSeconds: undefined,
    });
    expect(payload).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: r-2 Error: Runtime exited with error: signal: killed',
    });
  });

  it('describes a timeout as Sandbox.Timedout with the timeout in seconds', () => {
    expect(functionErrorPayload(undefined, { requestId: 'r-3', timedOutAfterSeconds: 900 })).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: r-3 Error: Task timed out after 900.00 seconds',
    });
  });

  it('turns a thrown non-error into an Error document', () => {
    const payload = functionErrorPayload('boom', { requestId: 'r-4', timedOutAfterSeconds: undefined });
    expect(payload).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
  });
});
