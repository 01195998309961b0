import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { contract, metricsOf } from '@shardline/contract';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { FUNCTION } from './config';
import type { IngestOutcome } from './ingestRequest';

const metric = metricsOf(FUNCTION);
/** The dimension the contract declares on `EventsRefused`: one series per refusal reason. */
const metricsDimension = contract.ingest[FUNCTION].metrics.EventsRefused.dimensions[0]!;

/** Who sent a request: the JWT's subject (and issuer) or the SigV4 caller's ARN, as the authorizer passed them. */
export function principalOf(event: APIGatewayProxyEventV2): string | undefined {
  const authorizer = (
    event.requestContext as {
      authorizer?: { jwt?: { claims?: Record<string, unknown> }; iam?: { userArn?: string } };
    }
  ).authorizer;
  const claims = authorizer?.jwt?.claims;
  if (claims && typeof claims.sub === 'string') {
    return typeof claims.iss === 'string' ? `${claims.iss}#${claims.sub}` : claims.sub;
  }
  return authorizer?.iam?.userArn;
}

/**
 * Emits a request's metrics (EMF) and one log line: requests, events accepted, refused (in total and by reason,
 * as the `reason` dimension), retryable, still throttled, and the latency of the whole request.
 */
export function recordRequest(
  event: APIGatewayProxyEventV2,
  { response, stats }: IngestOutcome,
  latencyMs: number,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): void {
  metrics.addMetric(metric.Requests, MetricUnit.Count, 1);
  metrics.addMetric(metric.RequestLatencyMs, MetricUnit.Milliseconds, latencyMs);
  metrics.addMetric(metric.RequestsRefused, MetricUnit.Count, stats.requestError ? 1 : 0);
  metrics.addMetric(metric.EventsAccepted, MetricUnit.Count, stats.accepted);
  metrics.addMetric(metric.EventsRetryable, MetricUnit.Count, stats.retryable);
  metrics.addMetric(metric.PutRecordsThrottles, MetricUnit.Count, stats.throttled);
  const refused = Object.values(stats.refused).reduce((a, b) => a + b, 0);
  metrics.addMetric(metric.EventsRefused, MetricUnit.Count, refused);
  for (const [reason, count] of Object.entries(stats.refused)) {
    const single = metrics.singleMetric();
    single.addDimension(metricsDimension, reason);
    single.addMetric(metric.EventsRefused, MetricUnit.Count, count);
  }
  const details = {
    statusCode: response.statusCode,
    principal: principalOf(event),
    requestId: event.requestContext.requestId,
    ...stats,
    latencyMs,
  };
  if (stats.retryable > 0) logger.warn('events not stored, answered retryable', details);
  else logger.info('request answered', details);
}
