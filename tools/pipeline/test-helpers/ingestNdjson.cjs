// A stand-in for apps/ingest-api in the pipeline's tests: the same request and answer shapes, kept minimal.
// POST /v1/events with NDJSON (gzip or not): lines that are not a JSON object with id, source and type are
// refused; the others go on RAW_STREAM_NAME (partition key data.userId, else id); entries PutRecords failed come
// back retryable with 503 and Retry-After.
const { gunzipSync } = require('node:zlib');
const { KinesisClient, PutRecordsCommand } = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

const stream = process.env.RAW_STREAM_NAME;
if (!stream) throw new Error('RAW_STREAM_NAME is not set');
const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler() });

exports.handler = async (event) => {
  let body = Buffer.from(event.body || '', event.isBase64Encoded ? 'base64' : 'utf8');
  if ((event.headers['content-encoding'] || '') === 'gzip') body = gunzipSync(body);
  const lines = body
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const events = [];
  const valid = [];
  lines.forEach((line, index) => {
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      events.push({ status: 'refused', index, reason: 'NOT_JSON', message: 'not JSON' });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      events.push({ status: 'refused', index, reason: 'NOT_OBJECT', message: 'not an object' });
    } else if (['id', 'source', 'type'].some((k) => typeof value[k] !== 'string')) {
      events.push({
        status: 'refused',
        index,
        reason: 'MISSING_ATTRIBUTE',
        message: 'no id, source or type',
      });
    } else {
      const key = (value.data && typeof value.data.userId === 'string' && value.data.userId) || value.id;
      valid.push({ index, line, key });
    }
  });
  let stored = valid.length;
  if (valid.length > 0) {
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: valid.map((v) => ({ Data: Buffer.from(v.line), PartitionKey: v.key })),
      }),
    );
    out.Records.forEach((r, i) => {
      if (r.ErrorCode) {
        stored--;
        events.push({
          status: 'retryable',
          index: valid[i].index,
          reason: 'NOT_STORED',
          message: r.ErrorCode,
        });
      }
    });
  }
  events.sort((a, b) => a.index - b.index);
  const retryable = events.filter((e) => e.status === 'retryable').length;
  const refused = events.length - retryable;
  const statusCode = retryable > 0 ? 503 : refused > 0 ? (stored > 0 ? 207 : 400) : 200;
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...(retryable > 0 ? { 'retry-after': '1' } : {}) },
    body: JSON.stringify({ accepted: stored, refused, retryable, events }),
  };
};
