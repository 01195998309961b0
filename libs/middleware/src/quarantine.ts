import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { QuarantineError } from './errors';
import type { QuarantineMessage } from './types';

/** Where poison records go. The SQS implementation is the default; tests may pass their own. */
export interface QuarantineSink {
  /**
   * Delivers every message or throws {@link QuarantineError}; a throw makes the middleware report the poison
   * records as batch item failures, so they are retried instead of lost.
   */
  send(messages: readonly QuarantineMessage[]): Promise<void>;
}

/** SQS limits: 10 entries and 256 KiB per SendMessageBatch request, 256 KiB per message on a default queue. */
const MAX_ENTRIES = 10;
const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

/** Options of {@link sqsQuarantine}. */
export interface SqsQuarantineOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** The queue's MaximumMessageSize; larger messages overflow to S3. */
  maxMessageBytes?: number;
  /**
   * Where a message too large for the queue is stored whole; the queue then gets the same message with
   * `dataLocation` instead of `data`. Without it an oversized message is a delivery failure (retried).
   */
  overflow?: { s3: S3Client; bucket: string; prefix: string; kmsKeyId?: string };
}

/**
 * Sends quarantine messages to SQS with SendMessageBatch, one message per poison record, retrying entries that
 * the batch call reports as failed once before giving up.
 *
 * @example
 * ```ts
 * const quarantine = sqsQuarantine({ sqs: createClient(SQSClient), queueUrl: config.quarantineQueueUrl });
 * ```
 */
export function sqsQuarantine(options: SqsQuarantineOptions): QuarantineSink {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return {
    async send(messages) {
      if (messages.length === 0) return;
      const bodies: string[] = [];
      for (const m of messages) bodies.push(await fitMessage(m, maxBytes, options.overflow));
      for (const group of groupForBatches(bodies, maxBytes)) {
        await sendGroup(options, group);
      }
    },
  };
}

async function fitMessage(
  m: QuarantineMessage,
  maxBytes: number,
  overflow: SqsQuarantineOptions['overflow'],
): Promise<string> {
  const body = JSON.stringify(m);
  if (Buffer.byteLength(body) <= maxBytes) return body;
  if (!overflow) {
    throw new QuarantineError(
      `quarantine message for ${m.shardId}/${m.sequenceNumber} is ${Buffer.byteLength(body)} bytes, over the queue's ` +
        `${maxBytes}, and no overflow bucket is configured`,
    );
  }
  const key = `${overflow.prefix.replace(/\/+$/, '')}/${m.consumer}/${m.shardId}/${m.sequenceNumber}-${m.subSequenceNumber ?? 0}.json`;
  try {
    await overflow.s3.send(
      new PutObjectCommand({
        Bucket: overflow.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ...(overflow.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: overflow.kmsKeyId } : {}),
      }),
    );
  } catch (error) {
    throw new QuarantineError(
      `storing oversized quarantine message at s3://${overflow.bucket}/${key} failed`,
      {
        cause: error,
      },
    );
  }
  const { data: _data, ...rest } = m;
  return JSON.stringify({ ...rest, dataLocation: `s3://${overflow.bucket}/${key}` });
}

function groupForBatches(bodies: string[], maxBytes: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > maxBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

async function sendGroup(options: SqsQuarantineOptions, bodies: string[]): Promise<void> {
  let entries = bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody }));
  for (let attempt = 0; attempt < 2 && entries.length > 0; attempt++) {
    let result;
    try {
      result = await options.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }),
      );
    } catch (error) {
      throw new QuarantineError(`SendMessageBatch to ${options.queueUrl} failed`, { cause: error });
    }
    const failed = new Set((result.Failed ?? []).map((f) => f.Id));
    const permanent = (result.Failed ?? []).filter((f) => f.SenderFault);
    if (permanent.length > 0) {
      throw new QuarantineError(
        `SendMessageBatch rejected ${permanent.length} message(s): ${permanent.map((f) => `${f.Code}: ${f.Message}`).join('; ')}`,
      );
    }
    entries = entries.filter((e) => failed.has(e.Id));
  }
  if (entries.length > 0) {
    throw new QuarantineError(`SendMessageBatch kept failing for ${entries.length} message(s)`);
  }
}
