import fc from 'fast-check';
import { handledRuns, inRanges, mergeRanges, recordKey, type KeyRange } from './ledgerRanges';

describe('ledger ranges', () => {
  it('orders record keys numerically, sub-sequence numbers within a sequence number', () => {
    expect(recordKey('9') < recordKey('10')).toBe(true);
    expect(recordKey('10', 2) < recordKey('10', 11)).toBe(true);
    expect(recordKey('10', 11) < recordKey('11', 0)).toBe(true);
  });

  it('turns handled flags into runs and looks keys up in them', () => {
    // Prepare
    const keys = ['1', '2', '3', '4', '5', '6'].map((s) => recordKey(s));
    // Act
    const runs = handledRuns(keys, [true, true, false, true, false, true]);
    // Assess
    expect(runs).toEqual([
      [keys[0], keys[1]],
      [keys[3], keys[3]],
      [keys[5], keys[5]],
    ]);
    expect(inRanges(runs, keys[1]!)).toBe(true);
    expect(inRanges(runs, keys[2]!)).toBe(false);
    expect(inRanges(runs, recordKey('7'))).toBe(false);
  });

  it('drops ranges the mapping can no longer redeliver and merges overlapping ones', () => {
    // Prepare
    const k = (n: number) => recordKey(String(n));
    const previous: KeyRange[] = [
      [k(1), k(3)],
      [k(5), k(9)],
    ];
    // Act
    const merged = mergeRanges(previous, [[k(8), k(12)]], k(4));
    // Assess
    expect(merged).toEqual([[k(5), k(12)]]);
  });

  it('publishes every record of a shard exactly once under any retries, re-cut batches and lost responses', () => {
    // A model of Lambda's Kinesis event source mapping: each batch starts at the checkpoint and has any length;
    // a publish can fail transiently; a response can be lost (the function crashed after its work), in which case
    // the checkpoint does not move. The ledger must make the sum of publishes exactly one per record.
    const step = fc.record({
      length: fc.integer({ min: 1, max: 25 }),
      failures: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
      responseLost: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.array(step, { minLength: 1, maxLength: 400 }),
        (n, steps) => {
          const keys = Array.from({ length: n }, (_, i) => recordKey(String(1000 + i * 7), i % 3));
          keys.sort();
          const published = new Array<number>(n).fill(0);
          let ledger: KeyRange[] = [];
          let checkpoint = 0;
          for (let s = 0; checkpoint < n; s++) {
            // After the scripted steps, deliveries succeed so the run always ends.
            const { length, failures, responseLost } = steps[s] ?? {
              length: n,
              failures: [],
              responseLost: false,
            };
            const batch = keys.slice(checkpoint, checkpoint + length);
            const handled = batch.map((key, i) => {
              if (inRanges(ledger, key)) return true;
              if (failures[i]) return false;
              published[checkpoint + i]! += 1;
              return true;
            });
            ledger = mergeRanges(ledger, handledRuns(batch, handled), batch[0]!);
            if (responseLost) continue;
            const firstFailed = handled.indexOf(false);
            checkpoint += firstFailed === -1 ? batch.length : firstFailed;
          }
          expect(published).toEqual(new Array<number>(n).fill(1));
        },
      ),
      { numRuns: 300 },
    );
  });
});
