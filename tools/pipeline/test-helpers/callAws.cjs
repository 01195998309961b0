// Makes a known set of AWS calls to the endpoints in its environment and logs one line per call.
const { S3Client, PutObjectCommand, GetObjectCommand } = require('@aws-sdk/client-s3');
const { SQSClient, SendMessageBatchCommand } = require('@aws-sdk/client-sqs');

const s3 = new S3Client({ forcePathStyle: true });
// The endpoint comes from AWS_ENDPOINT_URL_SQS, not from the local queue URL's host (as in @shardline/aws createClient).
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

exports.handler = async (event) => {
  const { bucket, queueUrl, objects } = event;
  await Promise.all(
    Array.from({ length: objects }, (_, i) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: `k-${i}`, Body: 'x'.repeat(1000) })),
    ),
  );
  console.log(`put ${objects} objects`);
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k-0' }));
  const body = await got.Body.transformToString();
  console.log(`got ${body.length} bytes`);
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: [
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two' },
      ],
    }),
  );
  return { bytes: body.length };
};
