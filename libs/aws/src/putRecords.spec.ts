import { KinesisClient, PutRecordsCommand, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { chunkEntries, putRecords, type PutEntry } from './putRecords';

/** A Kinesis client whose transport answers from a script: unit tests of the retry branches only. */
function scriptedKinesis(answers: Array<(count: number) => PutRecordsCommandOutput | Error>) {
  const client = new KinesisClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const calls: number[] = [];
  client.send = (async (command: PutRecordsCommand) => {
    const count = command.input.Records!.length;
    calls.push(count);
    const answer = answers.shift()!(count);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as never;
  return { client, calls };
}

const entry = (i: number, bytes = 10): PutEntry<number> => ({
  data: new Uint8Array(bytes),
  partitionKey: `pk-${i}`,
  ref: i,
});
const ok = (count: number) => ({
  Records: Array.from({ length: count }, () => ({ SequenceNumber: '1', ShardId: 's' })),
  $metadata: {},
});

describe('putRecords', () => {
  afterEach(() => jest.restoreAllMocks());

  it('splits at 500 entries and at 5 MiB per request', () => {
    // Act
    const byCount = chunkEntries(Array.from({ length: 1201 }, (_, i) => entry(i)));
    const bySize = chunkEntries(Array.from({ length: 6 }, (_, i) => entry(i, 1024 * 1024)));
    // Assess
    expect(byCount.map((c) => c.length)).toEqual([500, 500, 201]);
    expect(bySize.map((c) => c.length)).toEqual([4, 2]);
  });

  it('retries only the entries that failed and reports none when the retry succeeds', async () => {
    // Prepare
    const { client, calls } = scriptedKinesis([
      () => ({
        Records: [
          { SequenceNumber: '1' },
          { ErrorCode: 'ProvisionedThroughputExceededException' },
          { SequenceNumber: '2' },
        ],
        $metadata: {},
      }),
      ok,
    ]);
    // Act
    const failed = await putRecords(client, 's', [entry(0), entry(1), entry(2)], { baseDelayMs: 1 });
    // Assess
    expect(failed).toEqual([]);
    expect(calls).toEqual([3, 1]);
  });

  it('reports the entries still failing after the last attempt, with the last error code', async () => {
    // Prepare
    const throttled = (count: number) => ({
      Records: Array.from({ length: count }, () => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' })),
      $metadata: {},
    });
    const { client, calls } = scriptedKinesis([throttled, throttled]);
    // Act
    const failed = await putRecords(client, 's', [entry(7), entry(8)], { maxAttempts: 2, baseDelayMs: 1 });
    // Assess
    expect(failed).toEqual([
      { ref: 7, errorCode: 'InternalFailure', errorMessage: 'boom' },
      { ref: 8, errorCode: 'InternalFailure', errorMessage: 'boom' },
    ]);
    expect(calls).toEqual([2, 2]);
  });

  it('treats a failed request as a failure of all its entries and stops retrying when told to', async () => {
    // Prepare
    const { client, calls } = scriptedKinesis([
      () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
    ]);
    // Act
    const failed = await putRecords(client, 's', [entry(1)], { canRetry: () => false });
    // Assess
    expect(failed).toEqual([{ ref: 1, errorCode: 'TimeoutError', errorMessage: 'socket hang up' }]);
    expect(calls).toEqual([1]);
  });

  it('stops backing off when its signal aborts and reports the entries left', async () => {
    // Prepare: an hour's backoff (jitter at its top), aborted while it waits.
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const controller = new AbortController();
    const { client, calls } = scriptedKinesis([
      () => {
        setImmediate(() => controller.abort());
        return {
          Records: [
            { SequenceNumber: '1' },
            { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' },
          ],
          $metadata: {},
        };
      },
    ]);
    // Act
    const failed = await putRecords(client, 's', [entry(1), entry(2)], {
      baseDelayMs: 3_600_000,
      signal: controller.signal,
    });
    // Assess
    expect(failed).toEqual([
      { ref: 2, errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' },
    ]);
    expect(calls).toEqual([2]);
  });
});
