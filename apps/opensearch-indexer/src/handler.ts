import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { OpenSearchClient } from '@aws-sdk/client-opensearch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient } from '@shardline/aws';
import { contract, metricsOf } from '@shardline/contract';
import { kinesisConsumer, sqsQuarantine } from '@shardline/middleware';
import { enrichedEventSchema, type EnrichedEvent } from '@shardline/schema';
import { CONSUMER, loadIndexerConfig } from './config';
import { connectOnce } from './connectOnce';
import { createOpenSearchClient } from './createOpenSearchClient';
import { buildIndexTemplate, installIndexTemplate } from './indexTemplate';
import { indexBatch } from './indexBatch';
import { openSearchBulkSender } from './openSearchBulkSender';
import { resolveDomainEndpoint } from './resolveEndpoint';

// Cold start: configuration is checked first so a bad deploy fails here, naming the variable.
const config = loadIndexerConfig();
const logger = new Logger({ serviceName: CONSUMER });
const metrics = new Metrics({ namespace: contract.namespace, serviceName: CONSUMER });
const metric = metricsOf(CONSUMER);

// The control-plane client resolves the domain endpoint and holds the default credential chain used for SigV4.
const controlPlane = createClient(OpenSearchClient, { region: config.region });
const quarantine = sqsQuarantine({ sqs: createClient(SQSClient), queueUrl: config.quarantineQueueUrl });
const template = buildIndexTemplate(config.indexPrefix);

// Once per container: endpoint, client, index template. A failure is retried by the next invocation.
const connect = connectOnce(async () => {
  const endpoint = config.endpoint ?? (await resolveDomainEndpoint(controlPlane, config.domainName!));
  const client = createOpenSearchClient({
    endpoint,
    region: config.region,
    credentials: () => controlPlane.config.credentials(),
  });
  const installed = await installIndexTemplate(client, template);
  logger.info('connected to OpenSearch', { endpoint, template: template.name, templateInstalled: installed });
  return openSearchBulkSender(client);
});

export const handler = kinesisConsumer<EnrichedEvent>(
  {
    consumer: CONSUMER,
    schema: enrichedEventSchema,
    quarantine,
    logger,
    metrics,
    timeoutGuardMs: config.timeoutGuardMs,
  },
  async (batch) => {
    let send;
    try {
      send = await connect();
    } catch (error) {
      logger.error('cannot reach OpenSearch; the batch will be retried', { error: error as Error });
      batch.fail(batch.records, `OpenSearch not ready: ${(error as Error).message}`);
      return;
    }
    const stats = await indexBatch(batch, {
      send,
      indexPrefix: config.indexPrefix,
      bulkMaxBytes: config.bulkMaxBytes,
    });
    metrics.addMetric(metric.BulkRequests, MetricUnit.Count, stats.requests);
    metrics.addMetric(metric.BulkItemRetries, MetricUnit.Count, stats.retries);
    metrics.addMetric(metric.DocumentsIndexed, MetricUnit.Count, stats.indexed);
  },
);
