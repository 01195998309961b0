import fc from 'fast-check';
import { KinesisBatch } from '@shardline/middleware';
import type { EnrichedEvent } from '@shardline/schema';
import { archiveBatch } from './archiveBatch';
import { planArchiveObjects } from './planArchiveObjects';
import { enrichedEvents, shardRecords } from './test-helpers/enrichedEvents';
import { MemoryS3, type PutOutcome } from './test-helpers/memoryS3';

const HOUR_START = 1704070800;
const events = enrichedEvents(40);
// Records spread over three hours of arrival, so batches cross hour boundaries.
const records = shardRecords(events, { arrival: (i) => HOUR_START - 1800 + i * 100 });
const oneRecord = (records[0]?.size ?? 0) + 1;
const target = { bucket: 'archive', prefix: 'events', maxObjectBytes: oneRecord * 60 };

/**
 * A model of the event source mapping on one shard: every batch starts at the checkpoint and ends anywhere (so a
 * retry after a partial success is re-cut at random), may be delivered twice (the second time cut shorter or
 * longer), and the checkpoint moves to the lowest reported failure. Puts fail before or after storing the object,
 * at random. Objects are split at hour changes and marker records; the fixture is checked to need no cut forced by
 * the size cap, the one cut that depends on where a batch starts (README, "Keys and exactly-once").
 */
describe('archiveBatch under the event source mapping', () => {
  it('archives every record exactly once, whatever the cuts, duplicates and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 60, maxLength: 60 }),
        fc.array(fc.constantFrom<PutOutcome>('ok', 'ok', 'ok', 'fail', 'store-then-fail'), {
          minLength: 400,
          maxLength: 400,
        }),
        fc.array(fc.option(fc.integer({ min: 1, max: 15 })), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        async (lengths, outcomes, duplicates, recordsPerCut) => {
          // Prepare
          const s3 = new MemoryS3((_input, call) => outcomes[call % outcomes.length] as PutOutcome);
          const deps = { ...target, s3, averageCutBytes: oneRecord * recordsPerCut };
          expect(planArchiveObjects(records, deps).filter((p) => p.start === 'cap')).toEqual([]);
          let checkpoint = 0;

          // Act
          for (let round = 0; checkpoint < records.length; round++) {
            const end = Math.min(records.length, checkpoint + (lengths[round % lengths.length] as number));
            const batch = new KinesisBatch<EnrichedEvent>({
              consumer: 's3-archiver',
              records: records.slice(checkpoint, end),
              rejected: [],
            });
            await archiveBatch(batch, deps);
            const duplicate = duplicates[round % duplicates.length];
            if (duplicate) {
              // The same batch again from the same checkpoint (its response was lost, or it was bisected), cut
              // shorter or longer; the second response is the one the mapping acts on.
              const again = Math.min(records.length, checkpoint + duplicate);
              const copy = new KinesisBatch<EnrichedEvent>({
                consumer: 's3-archiver',
                records: records.slice(checkpoint, again),
                rejected: [],
              });
              await archiveBatch(copy, deps);
              checkpoint = nextCheckpoint(copy, checkpoint, again);
            } else {
              checkpoint = nextCheckpoint(batch, checkpoint, end);
            }
          }

          // Assess
          expect(s3.lines().sort()).toEqual(records.map((r) => r.text).sort());
        },
      ),
      { numRuns: 150 },
    );
  });
});

function nextCheckpoint(batch: KinesisBatch<EnrichedEvent>, start: number, end: number): number {
  const lowest = batch.itemFailures()[0];
  return lowest === undefined ? end : records.findIndex((r) => r.sequenceNumber === lowest);
}
