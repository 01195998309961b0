// A payload format 2.0 function for the HTTP API emulator's tests; the query string picks what it does.
const { setTimeout: sleep } = require('node:timers/promises');

exports.handler = async (event, context) => {
  const mode = (event.queryStringParameters || {}).mode || 'echo';
  if (mode === 'echo') {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/json',
        'x-echo': 'yes',
        'x-remaining-ms': context.getRemainingTimeInMillis(),
      },
      cookies: ['session=1; HttpOnly'],
      body: JSON.stringify(event),
    };
  }
  if (mode === 'string') return 'plain text';
  if (mode === 'binary')
    return { statusCode: 200, body: Buffer.from([0, 255, 1]).toString('base64'), isBase64Encoded: true };
  if (mode === 'sleep') {
    await sleep(Number(event.queryStringParameters.ms));
    return { statusCode: 204 };
  }
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'huge') return { statusCode: 200, body: 'x'.repeat(6 * 1024 * 1024 + 200) };
  if (mode === 'malformed') return { statusCode: 'ok' };
  return { statusCode: 400, body: `unknown mode ${mode}` };
};
