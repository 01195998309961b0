import { interpretResponse } from './interpretResponse';

const SEQS = ['100', '200', '300'];
const REPORT = { reportBatchItemFailures: true, tumblingWindow: false };

// Source: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
describe('interpretResponse', () => {
  it('checkpoints before the lowest reported sequence number', () => {
    // Act
    const verdict = interpretResponse(
      { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] },
      SEQS,
      REPORT,
    );

    // Assess
    expect(verdict).toEqual({ kind: 'partial', retryFromIndex: 1 });
  });

  it('rejects a batchItemFailures that is not a list', () => {
    // Act
    const verdict = interpretResponse({ batchItemFailures: 'oops' }, SEQS, REPORT);

    // Assess
    expect(verdict.kind).toBe('invalid');
  });

  it('returns the window state with the verdict', () => {
    // Act
    const verdict = interpretResponse({ state: { n: 1 } }, SEQS, {
      reportBatchItemFailures: true,
      tumblingWindow: true,
    });

    // Assess
    expect(verdict).toEqual({ kind: 'success', state: { n: 1 } });
  });
});
