import { classifyBulkItem, isRetryableStatus } from './classifyBulkItem';

describe('classifyBulkItem', () => {
  it.each([
    [{ status: 201 }, 'ok'],
    [{ status: 200 }, 'ok'],
    [{ status: 429, error: { type: 'rejected_execution_exception' } }, 'retry'],
    [{ status: 503, error: { type: 'unavailable_shards_exception' } }, 'retry'],
    [{ status: 403, error: { type: 'cluster_block_exception' } }, 'retry'],
    [{ status: 400, error: { type: 'mapper_parsing_exception' } }, 'reject'],
    [{ status: 400, error: { type: 'illegal_argument_exception' } }, 'reject'],
  ])('classifies %j as %s', (item, verdict) => {
    // Act
    const actual = classifyBulkItem(item);

    // Assess
    expect(actual).toBe(verdict);
  });
});

describe('isRetryableStatus', () => {
  it('retries unanswered, throttled and failed requests but not a request the server refused', () => {
    // Act
    const verdicts = [undefined, 429, 502, 413, 400].map(isRetryableStatus);

    // Assess
    expect(verdicts).toEqual([true, true, true, false, false]);
  });
});
