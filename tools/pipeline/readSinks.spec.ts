import { overflowObject } from './readSinks';

const at = { bucket: 'shardline-dev-archive-000000000000', prefix: 'quarantine-overflow' };

describe('overflowObject', () => {
  it('follows a location under the overflow prefix of its bucket', () => {
    // Act
    const object = overflowObject(`s3://${at.bucket}/quarantine-overflow/enrichment/shardId-0/1-0.json`, at);

    // Assess
    expect(object).toEqual({ bucket: at.bucket, key: 'quarantine-overflow/enrichment/shardId-0/1-0.json' });
  });

  it.each([
    ['another bucket', 's3://someone-else/quarantine-overflow/x.json'],
    ['another prefix of the bucket', `s3://${at.bucket}/events/dt=2026-12-01/x.json.gz`],
    ['a prefix that only starts alike', `s3://${at.bucket}/quarantine-overflow-2/x.json`],
    ['a path that climbs out', `s3://${at.bucket}/quarantine-overflow/../events/x.json.gz`],
    ['no S3 URL', 'https://example.com/x.json'],
    ['no string', 42],
  ])('refuses %s', (_, location) => {
    // Act
    const object = overflowObject(location, at);

    // Assess
    expect(object).toBeUndefined();
  });
});
