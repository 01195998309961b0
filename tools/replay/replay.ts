/**
 * `npm run replay`: republish archived events of an event-time range from S3 into a stream (backfill after a bug
 * fix). See REPLAY_USAGE (`npm run replay -- --help`) and tools/README.md.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { createClient } from '@shardline/aws';
import { ReplayUsageError } from './errors';
import { parseReplayArgs, REPLAY_USAGE, type ReplayOptions } from './parseReplayArgs';
import { replayArchive, type ReplayProgress } from './replayArchive';

function endpointFromEnv(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new ReplayUsageError(`--endpoint-env: ${variable} is not set`);
  return value;
}

async function main(): Promise<number> {
  let options: ReplayOptions;
  let s3: S3Client;
  let kinesis: KinesisClient;
  try {
    options = parseReplayArgs(process.argv.slice(2));
    if (options.help) {
      console.log(REPLAY_USAGE);
      return 0;
    }
    // Same code on AWS and locally: only the endpoints differ. On AWS the SDK's default resolution applies.
    s3 = createClient(
      S3Client,
      options.endpointEnv ? { endpoint: endpointFromEnv('AWS_ENDPOINT_URL_S3') } : {},
    );
    kinesis = createClient(
      KinesisClient,
      options.endpointEnv ? { endpoint: endpointFromEnv('AWS_ENDPOINT_URL_KINESIS') } : {},
    );
  } catch (error) {
    if (!(error instanceof ReplayUsageError)) throw error;
    console.error(`error: ${error.message}\n\n${REPLAY_USAGE}`);
    return 2;
  }
  let lastReport = 0;
  const began = Date.now();
  const describe = (p: ReplayProgress) =>
    `objects ${p.objectsRead}/${p.objects} (${p.partitions} partitions)  lines ${p.linesRead}  in range ${p.matched}  ` +
    `published ${p.published}  failed ${p.failed}  unparsable ${p.unparsable}  ` +
    `${(p.published / Math.max(0.001, (Date.now() - began) / 1000)).toFixed(0)} rec/s`;
  const result = await replayArchive({
    s3,
    kinesis,
    bucket: options.bucket,
    prefix: options.prefix,
    from: options.from,
    to: options.to,
    stream: options.stream,
    rate: options.rate,
    lagHours: options.lagHours,
    keepEnrichment: options.keepEnrichment,
    dryRun: options.dryRun,
    onProgress: (p) => {
      if (Date.now() - lastReport < 1000) return;
      lastReport = Date.now();
      process.stderr.write(`${describe(p)}\n`);
    },
  });
  console.log(`${options.dryRun ? 'dry run: ' : ''}${describe(result)}`);
  s3.destroy();
  kinesis.destroy();
  return result.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
