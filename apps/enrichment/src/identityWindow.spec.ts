import {
  decodeSegment,
  encodeSegment,
  ENTRY_BYTES,
  fingerprint,
  IdentityWindow,
  type Candidate,
} from './identityWindow';
import { recordKey } from './ledgerRanges';

const WINDOW_MS = 10_000;

/** Candidates for events named by their id, arriving at the given ms, keyed by position. */
function candidates(ids: string[], arrivals: number[], firstPosition = 0): Candidate[] {
  return ids.map((id, i) => ({
    key: recordKey(String(1000 + firstPosition + i)),
    fingerprint: fingerprint('//game.example/app', id),
    arrivalMs: arrivals[i]!,
  }));
}

/** Classifies and commits the whole batch, as after a clean invocation. */
function handle(window: IdentityWindow, batch: Candidate[]): boolean[] {
  const classification = window.classify(batch);
  window.commit(window.advance(batch, classification, batch.length));
  return classification.repeat;
}

describe('IdentityWindow', () => {
  it('drops a repeat within the window of the first copy, in the same batch and in a later one', () => {
    // Prepare
    const window = new IdentityWindow(WINDOW_MS);
    // Act
    const first = handle(window, candidates(['a', 'b', 'a'], [0, 1, 2]));
    const later = handle(window, candidates(['b', 'c'], [5_000, 5_001], 3));
    // Assess
    expect(first).toEqual([false, false, true]);
    expect(later).toEqual([true, false]);
  });

  it('measures the window from the first copy: a copy after it passes, however many repeats came between', () => {
    // Prepare
    const window = new IdentityWindow(WINDOW_MS);
    // Act
    const repeats = handle(
      window,
      candidates(['a', 'a', 'a', 'a'], [0, WINDOW_MS, WINDOW_MS + 1, WINDOW_MS + 2]),
    );
    // Assess: the last is a repeat of the third, which became a first copy.
    expect(repeats).toEqual([false, true, false, true]);
  });

  it('never takes a redelivered record for its own repeat', () => {
    // Prepare
    const window = new IdentityWindow(WINDOW_MS);
    const batch = candidates(['a', 'b', 'c'], [0, 1, 2]);
    handle(window, batch);
    // Act: the same records again (a lost response), then a producer's retry of one of them.
    const again = window.classify(batch).repeat;
    const retry = window.classify(candidates(['a'], [3], 3)).repeat;
    // Assess
    expect(again).toEqual([false, false, false]);
    expect(retry).toEqual([true]);
  });

  it('remembers only the handled prefix, so the records retried after it are classified again the same way', () => {
    // Prepare
    const window = new IdentityWindow(WINDOW_MS);
    const batch = candidates(['a', 'b', 'c', 'b'], [0, 1, 2, 3]);
    const classification = window.classify(batch);
    // Act: the third record failed transiently; the mapping retries from it.
    const step = window.advance(batch, classification, 2);
    window.commit(step);
    const retried = window.classify(batch.slice(2)).repeat;
    // Assess
    expect(step.segment?.fingerprints).toHaveLength(2);
    expect(step.pointer.through).toBe(batch[1]!.key);
    expect(retried).toEqual([false, true]);
  });

  it('forgets segments and parents older than the window, and says from which segment it is kept', () => {
    // Prepare: a parent's identities, then this shard's own segments over time.
    const window = new IdentityWindow(WINDOW_MS, { seq: 0, from: 1, parents: ['arn#shardId-000000000000'] });
    window.load({ n: 0, fingerprints: [fingerprint('s', 'p')], arrivalsMs: [0] });
    // Act
    handle(window, candidates(['a'], [1_000]));
    handle(window, candidates(['b'], [6_000], 1));
    const whilePartly = window.pointer;
    handle(window, candidates(['c'], [12_000], 2));
    // Assess
    expect(whilePartly).toMatchObject({ seq: 2, from: 1, parents: ['arn#shardId-000000000000'] });
    expect(window.pointer).toMatchObject({ seq: 3, from: 2, parents: [] });
    expect(window.size).toBe(2);
    expect(window.classify(candidates(['a', 'b'], [12_001, 12_002], 3)).repeat).toEqual([false, true]);
  });

  it('stores a segment in 12 bytes per entry and reads it back', () => {
    // Prepare
    const segment = {
      n: 7,
      fingerprints: ['a', 'b', 'c'].map((id) => fingerprint('s', id)),
      arrivalsMs: [1704067200000, 1704067200005, 1704067260000],
    };
    // Act
    const { baseMs, entries } = encodeSegment(segment);
    // Assess
    expect(entries).toHaveLength(3 * ENTRY_BYTES);
    expect(decodeSegment(7, baseMs, entries)).toEqual(segment);
  });

  it('fingerprints identities apart even when source and id concatenate alike', () => {
    expect(fingerprint('src:a', 'b')).not.toBe(fingerprint('src:', 'ab'));
    expect(fingerprint('src', 'evt-1')).toBe(fingerprint('src', 'evt-1'));
    expect(Buffer.from(fingerprint('src', 'evt-1'), 'latin1')).toHaveLength(8);
  });
});
