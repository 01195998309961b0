// Works through `event.items` one at a time and, when less than `event.reserveMs` of its time is left, hands the
// rest on by invoking itself asynchronously through the Lambda API (AWS_ENDPOINT_URL_LAMBDA locally), as a
// long import does before its timeout. Each item done is appended to `event.dir`/done.
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { InvokeCommand, LambdaClient } = require('@aws-sdk/client-lambda');

const lambda = new LambdaClient({});

exports.handler = async (event, context) => {
  const items = [...event.items];
  while (items.length > 0) {
    if (context.getRemainingTimeInMillis() < event.reserveMs) {
      const rest = { ...event, items, link: event.link + 1 };
      await lambda.send(
        new InvokeCommand({
          FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
          InvocationType: 'Event',
          Payload: JSON.stringify(rest),
        }),
      );
      return { handedOn: items.length };
    }
    await sleep(event.itemMs);
    appendFileSync(join(event.dir, 'done'), `${items.shift()} ${event.link}\n`);
  }
  return { handedOn: 0 };
};
