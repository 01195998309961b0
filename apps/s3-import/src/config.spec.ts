import { ConfigError } from '@shardline/aws';
import { unreadVariables } from '@shardline/contract';
import { configSpec, FUNCTION, loadImportConfig } from './config';

const base = {
  RAW_STREAM_NAME: 'shardline-dev-raw',
  QUARANTINE_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/q',
  INBOX_BUCKET: 'shardline-dev-inbox-123456789012',
  INBOX_PREFIX: 'incoming',
  CHECKPOINT_TABLE_NAME: 'shardline-dev-s3-import-checkpoints',
};

describe('loadImportConfig', () => {
  it('reads every variable the pipeline contract declares for the importer', () => {
    // Assess
    expect(unreadVariables(FUNCTION, configSpec)).toEqual([]);
  });

  it('defaults the parameters the contract gives values to', () => {
    // Act
    const config = loadImportConfig(base);

    // Assess
    expect(config).toMatchObject({
      handOffMarginMs: 60_000,
      checkpointTtlDays: 30,
      putRecordsMaxAttempts: 5,
    });
    expect(config.quarantineOverflowBucket).toBeUndefined();
  });

  it('fails at cold start naming a bad bucket and a margin too short to finish a chunk', () => {
    // Act
    const load = () =>
      loadImportConfig({ ...base, INBOX_BUCKET: 'Inbox_Bucket', IMPORT_HANDOFF_MARGIN_MS: '500' });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/INBOX_BUCKET[\s\S]*IMPORT_HANDOFF_MARGIN_MS/);
  });
});
