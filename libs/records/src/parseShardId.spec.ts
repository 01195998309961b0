import { EventShapeError } from './errors';
import { parseShardId } from './parseShardId';

describe('parseShardId', () => {
  it('takes the shard id from a Lambda eventID', () => {
    // Act
    const shardId = parseShardId(
      'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
    );

    // Assess
    expect(shardId).toBe('shardId-000000000006');
  });

  it.each([['49590338:1'], ['shardId-:1'], ['shardId-000000000006'], [''], [undefined]])(
    'throws EventShapeError for %p',
    (eventID) => {
      // Act and assess
      expect(() => parseShardId(eventID as string)).toThrow(EventShapeError);
    },
  );
});
