// A minimal inbox importer for the local pipeline's own tests: for each S3 notification record it reads the
// object (gzip detected by its magic bytes), and puts every non-blank line on RAW_STREAM_NAME in file order,
// partition key `data.userId` (else `id`), 500 per PutRecords, retrying what Kinesis refused. No checkpoints:
// a retried event imports its file again (the pipeline's sinks are idempotent per event identity only).
const { gunzipSync } = require('node:zlib');
const { setTimeout: sleep } = require('node:timers/promises');
const { GetObjectCommand, S3Client } = require('@aws-sdk/client-s3');
const { KinesisClient, PutRecordsCommand } = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

const s3 = new S3Client({ forcePathStyle: true });
const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler() });
const stream = process.env.RAW_STREAM_NAME;
if (!stream) throw new Error('RAW_STREAM_NAME is not set');

function partitionKeyOf(line) {
  try {
    const event = JSON.parse(line);
    const key = event?.data?.userId ?? event?.id;
    if (typeof key === 'string' && key.length >= 1 && key.length <= 256) return key;
  } catch {
    // not JSON: enrichment quarantines it
  }
  return 'unkeyed';
}

async function put(entries) {
  let pending = entries;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 10) throw new Error(`${pending.length} records refused by ${stream} 10 times`);
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: pending }));
    pending = pending.filter((_, i) => out.Records[i].ErrorCode);
    if (pending.length > 0) await sleep(50 * attempt);
  }
}

exports.handler = async (event) => {
  let lines = 0;
  for (const record of event.Records) {
    const Key = decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
    const got = await s3.send(new GetObjectCommand({ Bucket: record.s3.bucket.name, Key }));
    let body = Buffer.from(await got.Body.transformToByteArray());
    if (body[0] === 0x1f && body[1] === 0x8b) body = gunzipSync(body);
    const entries = body
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ({ Data: Buffer.from(line), PartitionKey: partitionKeyOf(line) }));
    for (let i = 0; i < entries.length; i += 500) await put(entries.slice(i, i + 500));
    lines += entries.length;
  }
  return { lines };
};
