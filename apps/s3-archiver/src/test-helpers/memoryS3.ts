import { gunzipSync } from 'node:zlib';
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';

/** What a PUT does in {@link MemoryS3}: store and succeed, fail before storing, or store and then fail. */
export type PutOutcome = 'ok' | 'fail' | 'store-then-fail';

/** A stand-in S3 client for unit tests: keeps PutObject bodies in a map and fails chosen calls. */
export class MemoryS3 {
  readonly objects = new Map<string, { input: PutObjectCommandInput; lines: string[] }>();
  readonly calls: PutObjectCommandInput[] = [];

  constructor(
    private readonly outcome: (input: PutObjectCommandInput, call: number) => PutOutcome = () => 'ok',
  ) {}

  async send(command: unknown): Promise<object> {
    if (!(command instanceof PutObjectCommand)) throw new Error('MemoryS3 only knows PutObject');
    const input = command.input;
    const outcome = this.outcome(input, this.calls.length);
    this.calls.push(input);
    if (outcome !== 'fail') {
      const text = gunzipSync(input.Body as Uint8Array).toString('utf8');
      this.objects.set(input.Key as string, { input, lines: text.split('\n').slice(0, -1) });
    }
    if (outcome !== 'ok') {
      throw Object.assign(new Error('We encountered an internal error. Please try again.'), {
        name: 'InternalError',
        $metadata: { httpStatusCode: 500 },
      });
    }
    return { $metadata: { httpStatusCode: 200 } };
  }

  /** Every archived line, across objects. */
  lines(): string[] {
    return [...this.objects.values()].flatMap((o) => o.lines);
  }
}
