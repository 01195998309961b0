import type { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SqsSender } from '../types';

/** An SQS client double that keeps every SendMessage, or refuses them while `failing` is set. */
export class RecordingSqs implements SqsSender {
  readonly sent: { queueUrl: string; body: unknown }[] = [];
  failing = false;

  async send(command: SendMessageCommand): Promise<unknown> {
    if (this.failing) throw Object.assign(new Error('queue does not exist'), { name: 'QueueDoesNotExist' });
    this.sent.push({ queueUrl: command.input.QueueUrl!, body: JSON.parse(command.input.MessageBody!) });
    return { MessageId: String(this.sent.length) };
  }
}
