import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { contract } from '@shardline/contract';
import { principalOf, recordRequest } from './recordRequest';
import { httpEvent } from './test-helpers/httpEvent';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/** The EMF documents Powertools prints while `act` runs (dev mode prints to the global console). */
function emitted(act: (metrics: Metrics) => void): Emf[] {
  const saved = { ...process.env };
  Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'true' });
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    const metrics = new Metrics({ namespace: contract.namespace, serviceName: 'ingest-api' });
    act(metrics);
    metrics.publishStoredMetrics();
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
  return lines.map((l) => JSON.parse(l) as Emf);
}

const logger = new Logger({ serviceName: 'ingest-api', logLevel: 'SILENT' });

describe('recordRequest', () => {
  it('emits the request metrics, and refused events per reason under a reason dimension', () => {
    // Prepare
    const outcome = {
      response: { statusCode: 429 },
      stats: { accepted: 7, refused: { NOT_JSON: 2, EVENT_TOO_LARGE: 1 }, retryable: 3, throttled: 3 },
    };

    // Act
    const docs = emitted((metrics) => recordRequest(httpEvent('{}'), outcome, 12, { logger, metrics }));

    // Assess
    const byReason = docs.filter((d) => d._aws.CloudWatchMetrics[0]!.Dimensions[0]!.includes('reason'));
    expect(byReason.map((d) => [d.reason, d.EventsRefused]).sort()).toEqual([
      ['EVENT_TOO_LARGE', 1],
      ['NOT_JSON', 2],
    ]);
    const main = docs.find((d) => d.Requests !== undefined)!;
    expect(main).toMatchObject({
      service: 'ingest-api',
      Requests: 1,
      RequestsRefused: 0,
      EventsAccepted: 7,
      EventsRefused: 3,
      EventsRetryable: 3,
      PutRecordsThrottles: 3,
      RequestLatencyMs: 12,
    });
    expect(main._aws.CloudWatchMetrics[0]!.Namespace).toBe(contract.namespace);
  });

  it('names the caller from the JWT claims or the SigV4 identity', () => {
    // Prepare
    const iam = httpEvent('{}');
    (iam.requestContext as unknown as { authorizer: unknown }).authorizer = {
      iam: { userArn: 'arn:aws:iam::123456789012:role/producer' },
    };

    // Act / Assess
    expect(principalOf(httpEvent('{}', { claims: { sub: 'u1', iss: 'https://issuer/' } }))).toBe(
      'https://issuer/#u1',
    );
    expect(principalOf(iam)).toBe('arn:aws:iam::123456789012:role/producer');
    expect(principalOf(httpEvent('{}'))).toBeUndefined();
  });
});
