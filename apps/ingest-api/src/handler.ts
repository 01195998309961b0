import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import middy from '@middy/core';
import { createClient, putRecords } from '@shardline/aws';
import { contract } from '@shardline/contract';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { FUNCTION, loadIngestApiConfig } from './config';
import { DEFAULT_PARTITION_KEY } from './constants';
import { ingestRequest, type IngestRules } from './ingestRequest';
import { recordRequest } from './recordRequest';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadIngestApiConfig();
const logger = new Logger({ serviceName: FUNCTION });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: FUNCTION });
const kinesis = createClient(KinesisClient);
const rules: IngestRules = { ...config, partitionKey: DEFAULT_PARTITION_KEY };

// Time kept back from the function's timeout to answer: API Gateway gives up after 30 s.
const ANSWER_GUARD_MS = 2_000;

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async (event, context) => {
    const started = Date.now();
    const budget = AbortSignal.timeout(Math.max(1, context.getRemainingTimeInMillis() - ANSWER_GUARD_MS));
    const outcome = await ingestRequest(event, rules, {
      put: (events) =>
        putRecords(
          kinesis,
          config.rawStreamName,
          events.map((e) => ({ data: Buffer.from(e.text), partitionKey: e.partitionKey, ref: e })),
          {
            signal: budget,
            maxAttempts: config.putMaxAttempts,
            canRetry: () => context.getRemainingTimeInMillis() > ANSWER_GUARD_MS,
          },
        ),
    });
    recordRequest(event, outcome, Date.now() - started, { logger, metrics });
    return outcome.response;
  });
