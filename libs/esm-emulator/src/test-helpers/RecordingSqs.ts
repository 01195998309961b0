import type { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SqsSender } from '../types';

/** An SQS stand-in that keeps what was sent, for asserting on destination messages. */
export class RecordingSqs implements SqsSender {
  readonly sent: { queueUrl: string; body: unknown }[] = [];

  async send(command: SendMessageCommand): Promise<unknown> {
    this.sent.push({
      queueUrl: command.input.QueueUrl ?? '',
      body: JSON.parse(command.input.MessageBody ?? 'null'),
    });
    return { MessageId: String(this.sent.length) };
  }
}
