import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';

/** A fault the middleware can inject into one UpdateItem call. */
export type Fault =
  /** Throttled before reaching the table. */
  | 'throttle'
  | 'provisioned'
  /** 500 before reaching the table. */
  | 'server-error'
  /** Reaches the table and is applied, then the response is lost (socket reset). */
  | 'lost-response';

/** Picks the fault (or none) for the n-th UpdateItem call (0-based) of the client. */
export type FaultRule = (call: number, input: UpdateItemCommandInput) => Fault | undefined;

/**
 * Adds a middleware to the client's stack that injects faults into chosen UpdateItem calls, the way the service
 * or the network would produce them; returns a handle to count calls and remove the middleware.
 */
export function injectFaults(
  dynamodb: DynamoDBClient,
  rule: FaultRule,
): { calls: () => number; remove: () => void } {
  const name = `faultInjection-${Math.random().toString(36).slice(2)}`;
  let calls = 0;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'UpdateItemCommand') return next(args);
      const fault = rule(calls++, args.input as UpdateItemCommandInput);
      const $metadata = { httpStatusCode: 400 };
      switch (fault) {
        case 'throttle':
          throw new ThrottlingException({
            message: 'Rate of requests exceeds the allowed throughput.',
            $metadata,
          });
        case 'provisioned':
          throw new ProvisionedThroughputExceededException({ message: 'injected', $metadata });
        case 'server-error':
          throw new InternalServerError({ message: 'injected', $metadata: { httpStatusCode: 500 } });
        case 'lost-response': {
          await next(args);
          throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
        }
        default:
          return next(args);
      }
    },
    { step: 'initialize', name },
  );
  return { calls: () => calls, remove: () => dynamodb.middlewareStack.remove(name) };
}
