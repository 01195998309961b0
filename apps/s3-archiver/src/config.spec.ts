import { ConfigError } from '@shardline/aws';
import { unreadVariables } from '@shardline/contract';
import { configSpec, CONSUMER, loadArchiverConfig } from './config';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/shardline-quarantine';

describe('loadArchiverConfig', () => {
  it('reads every variable the pipeline contract declares for the archiver', () => {
    // Assess
    expect(unreadVariables(CONSUMER, configSpec)).toEqual([]);
  });

  it('applies the defaults for the prefix, the size cap and encryption', () => {
    // Act
    const config = loadArchiverConfig({ ARCHIVE_BUCKET: 'shardline-archive', QUARANTINE_QUEUE_URL: QUEUE });

    // Assess
    expect(config).toEqual({
      bucket: 'shardline-archive',
      prefix: 'events',
      kmsKeyId: undefined,
      maxObjectBytes: 64 * 1024 * 1024,
      quarantineQueueUrl: QUEUE,
    });
  });

  it('names every missing or malformed variable at once', () => {
    // Act
    const act = (): unknown =>
      loadArchiverConfig({
        ARCHIVE_PREFIX: '/events/',
        ARCHIVE_MAX_OBJECT_BYTES: '1000',
        QUARANTINE_QUEUE_URL: QUEUE,
      });

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/ARCHIVE_BUCKET[\s\S]*ARCHIVE_PREFIX[\s\S]*ARCHIVE_MAX_OBJECT_BYTES/);
  });

  it('reads a KMS key id for SSE-KMS', () => {
    // Act
    const config = loadArchiverConfig({
      ARCHIVE_BUCKET: 'shardline-archive',
      ARCHIVE_KMS_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      QUARANTINE_QUEUE_URL: QUEUE,
    });

    // Assess
    expect(config.kmsKeyId).toBe(
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
  });
});
