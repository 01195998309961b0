import { archiveKey } from './archiveKey';

describe('archiveKey', () => {
  const parts = {
    dt: '2026-11-26',
    hour: '07',
    shardId: 'shardId-000000000003',
    firstSequenceNumber: '4959001',
  };

  it('builds the Hive-partitioned key promised to the Terraform side', () => {
    // Act
    const key = archiveKey({ prefix: 'events', ...parts });

    // Assess
    expect(key).toBe('events/dt=2026-11-26/hour=07/shardId-000000000003-4959001.ndjson.gz');
  });

  it('ignores slashes around the prefix', () => {
    // Act
    const key = archiveKey({ prefix: '/lake/events/', ...parts });

    // Assess
    expect(key).toBe('lake/events/dt=2026-11-26/hour=07/shardId-000000000003-4959001.ndjson.gz');
  });
});
