import { isNumberOverflow, isTransientError } from './isTransientError';

describe('isTransientError', () => {
  it.each([
    [{ name: 'ThrottlingException' }],
    [{ name: 'ProvisionedThroughputExceededException' }],
    [{ name: 'Error', code: 'ECONNRESET' }],
    [{ name: 'UnknownError', $metadata: { httpStatusCode: 503 } }],
    [{ name: 'Throttled', $metadata: { httpStatusCode: 429 } }],
    [{ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }],
    [{ name: 'TransactionConflictException', $metadata: { httpStatusCode: 400 } }],
    [{ name: 'Error', code: 'ECONNABORTED' }],
    [{ name: 'Error', code: 'ETIMEDOUT' }],
  ])('treats %p as transient', (error) => {
    // Act / Assess
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }],
    [{ name: 'AccessDeniedException' }],
    [{ name: 'AbortError' }],
    ['boom'],
    [null],
  ])('treats %p as permanent', (error) => {
    // Act / Assess
    expect(isTransientError(error)).toBe(false);
  });
});

describe('isNumberOverflow', () => {
  it('recognises the number range errors of DynamoDB and DynamoDB Local', () => {
    // Act / Assess
    expect(
      isNumberOverflow({
        name: 'ValidationException',
        message: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
      }),
    ).toBe(true);
    expect(
      isNumberOverflow({
        name: 'ValidationException',
        message: 'DynamoDB only supports precision up to 38 digits',
      }),
    ).toBe(true);
    expect(
      isNumberOverflow({
        name: 'ValidationException',
        message: 'The provided key element does not match the schema',
      }),
    ).toBe(false);
  });
});
