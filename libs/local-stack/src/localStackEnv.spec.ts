import { localStackEnv } from './localStackEnv';

describe('localStackEnv', () => {
  it('names an endpoint variable only for the services given', () => {
    // Act
    const env = localStackEnv({ s3: 'http://127.0.0.1:2', opensearch: 'http://127.0.0.1:3' }, 'us-east-1');

    // Assess
    expect(env).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:2',
      OPENSEARCH_ENDPOINT: 'http://127.0.0.1:3',
    });
  });
});
