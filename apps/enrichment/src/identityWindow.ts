import * as crypto from 'node:crypto';

/** Bytes of one window entry in a stored segment: an 8-byte fingerprint, then a uint32 of ms after the base. */
export const ENTRY_BYTES = 12;

// One-shot hashing (Node >= 20.12) skips the Hash object: about twice as fast for inputs this small.
const sha256: (input: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'buffer') as unknown as Buffer
    : (input) => crypto.createHash('sha256').update(input).digest();

/**
 * The 64-bit fingerprint of an event identity (source, id), as 8 latin1 characters (a compact Map key that
 * converts back to its bytes losslessly). SHA-256, length-prefixed source: no two identities share an input and a
 * hostile producer cannot craft another event's fingerprint to have it dropped. Two distinct identities in one
 * shard's window of N entries collide with probability about N / 2^64 per event.
 */
export function fingerprint(source: string, id: string): string {
  return sha256(`${source.length}:${source}${id}`).toString('latin1', 0, 8);
}

/** Where a shard's window is persisted: a pointer kept in the shard's publish ledger item. */
export interface WindowPointer {
  /** Number of the last segment written (0: none yet). */
  seq: number;
  /** Number of the first segment still inside the window. */
  from: number;
  /** Record key of the last record classified into the window; records at or before it are never dropped. */
  through?: string;
  /** Shards (`<eventSourceARN>#<shardId>`) this one was split or merged from, while their entries can matter. */
  parents: string[];
}

/** The first copies of one invocation: what a segment item holds. */
export interface Segment {
  n: number;
  fingerprints: string[];
  arrivalsMs: number[];
}

/** One record as the window sees it. */
export interface Candidate {
  key: string;
  fingerprint: string;
  arrivalMs: number;
}

/** The verdict on a batch: which records repeat an identity, and which are first copies to remember. */
export interface Classification {
  repeat: boolean[];
  /** Indexes of the first copies, in order. */
  firsts: number[];
}

interface HeldSegment extends Segment {
  maxArrivalMs: number;
}

/**
 * The identities one raw shard has carried within the last `windowMs` of arrival time, so that a producer's
 * retry (a new Kinesis record with the same `(source, id)`) is dropped instead of reaching every sink twice.
 *
 * A record is a repeat when an earlier record of the shard (or of its parent shards) with the same identity
 * arrived at most `windowMs` before it; the window is measured from the first copy, later copies do not extend
 * it. That is a function of the shard's records alone, so a redelivered, retried or re-cut batch classifies each
 * record the same way. The window only ever holds records up to `through`, the end of a prefix of the shard that
 * was fully handled: a record after it is classified against what precedes it and never against itself, and
 * records at or before it are already handled (the publish ledger skips them).
 *
 * Entries arrive as segments (the first copies of one invocation), which are also the unit of storage.
 */
export class IdentityWindow {
  readonly windowMs: number;
  #seen = new Map<string, number>();
  #segments: HeldSegment[] = [];
  #pointer: WindowPointer;
  #latestMs = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, pointer: WindowPointer = { seq: 0, from: 1, parents: [] }) {
    this.windowMs = windowMs;
    this.#pointer = { ...pointer, parents: [...pointer.parents] };
  }

  /** Where the window stands: what the ledger item records. */
  get pointer(): WindowPointer {
    return { ...this.#pointer, parents: [...this.#pointer.parents] };
  }

  /** Entries currently held. */
  get size(): number {
    return this.#seen.size;
  }

  /** Adds a stored segment (this shard's own, or a parent's as `n` 0), in arrival order. */
  load(segment: Segment): void {
    this.#hold({ ...segment, maxArrivalMs: extreme(segment.arrivalsMs, Math.max) });
  }

  /** Which candidates repeat an identity of the window or of an earlier candidate. Changes nothing. */
  classify(candidates: readonly Candidate[]): Classification {
    const repeat = new Array<boolean>(candidates.length).fill(false);
    const firsts: number[] = [];
    const local = new Map<string, number>();
    const through = this.#pointer.through;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (through !== undefined && c.key <= through) continue;
      const earlier = local.get(c.fingerprint) ?? this.#seen.get(c.fingerprint);
      if (earlier !== undefined && c.arrivalMs - earlier <= this.windowMs) {
        repeat[i] = true;
      } else {
        local.set(c.fingerprint, c.arrivalMs);
        firsts.push(i);
      }
    }
    return { repeat, firsts };
  }

  /**
   * The segment and pointer after the first `handled` candidates were handled for good; `undefined` segment when
   * none of them is a first copy. Changes nothing: {@link commit} applies it once it is stored.
   */
  advance(
    candidates: readonly Candidate[],
    classification: Classification,
    handled: number,
  ): { segment?: Segment; pointer: WindowPointer } {
    const pointer = this.pointer;
    if (handled === 0) return { pointer };
    const last = candidates[handled - 1]!.key;
    if (pointer.through === undefined || last > pointer.through) pointer.through = last;
    const chosen = classification.firsts.filter((i) => i < handled);
    if (chosen.length === 0) return { pointer };
    pointer.seq += 1;
    const segment: Segment = {
      n: pointer.seq,
      fingerprints: chosen.map((i) => candidates[i]!.fingerprint),
      arrivalsMs: chosen.map((i) => candidates[i]!.arrivalMs),
    };
    return { segment, pointer: this.#evicted(pointer, segment) };
  }

  /** Applies what {@link advance} returned, once the segment and the pointer are stored. */
  commit(step: { segment?: Segment; pointer: WindowPointer }): void {
    if (step.segment) this.load(step.segment);
    this.#pointer = { ...step.pointer, parents: [...step.pointer.parents] };
    this.#evict();
  }

  #hold(segment: HeldSegment): void {
    for (let i = 0; i < segment.fingerprints.length; i++)
      this.#seen.set(segment.fingerprints[i]!, segment.arrivalsMs[i]!);
    this.#segments.push(segment);
    if (segment.maxArrivalMs > this.#latestMs) this.#latestMs = segment.maxArrivalMs;
  }

  /** The pointer once `next` is held: the first segment still inside the window; parents kept while theirs are. */
  #evicted(pointer: WindowPointer, next: Segment): WindowPointer {
    const latest = Math.max(this.#latestMs, extreme(next.arrivalsMs, Math.max));
    const live = this.#segments.filter((s) => s.maxArrivalMs >= latest - this.windowMs);
    const own = live.filter((s) => s.n > 0);
    pointer.from = own.length > 0 ? own[0]!.n : next.n;
    if (!live.some((s) => s.n === 0)) pointer.parents = [];
    return pointer;
  }

  // Eviction only forgets what no later record can match (classify checks the age anyway): memory, not meaning.
  #evict(): void {
    const horizon = this.#latestMs - this.windowMs;
    if (!this.#segments.some((s) => s.maxArrivalMs < horizon)) return;
    const kept: HeldSegment[] = [];
    for (const s of this.#segments) {
      if (s.maxArrivalMs >= horizon) {
        kept.push(s);
        continue;
      }
      for (let i = 0; i < s.fingerprints.length; i++) {
        if (this.#seen.get(s.fingerprints[i]!) === s.arrivalsMs[i]) this.#seen.delete(s.fingerprints[i]!);
      }
    }
    this.#segments = kept;
  }
}

/** A segment's entries as stored: the base (earliest arrival, ms) and {@link ENTRY_BYTES} per entry. */
export function encodeSegment(segment: Segment): { baseMs: number; entries: Buffer } {
  const baseMs = extreme(segment.arrivalsMs, Math.min);
  const entries = Buffer.allocUnsafe(segment.fingerprints.length * ENTRY_BYTES);
  for (let i = 0; i < segment.fingerprints.length; i++) {
    entries.write(segment.fingerprints[i]!, i * ENTRY_BYTES, 8, 'latin1');
    entries.writeUInt32BE(Math.min(0xffffffff, segment.arrivalsMs[i]! - baseMs), i * ENTRY_BYTES + 8);
  }
  return { baseMs, entries };
}

/** The inverse of {@link encodeSegment}. */
export function decodeSegment(n: number, baseMs: number, entries: Uint8Array): Segment {
  const bytes = Buffer.from(entries.buffer, entries.byteOffset, entries.byteLength);
  const count = Math.floor(bytes.length / ENTRY_BYTES);
  const segment: Segment = { n, fingerprints: new Array(count), arrivalsMs: new Array(count) };
  for (let i = 0; i < count; i++) {
    segment.fingerprints[i] = bytes.toString('latin1', i * ENTRY_BYTES, i * ENTRY_BYTES + 8);
    segment.arrivalsMs[i] = baseMs + bytes.readUInt32BE(i * ENTRY_BYTES + 8);
  }
  return segment;
}

/** The largest or smallest of many numbers (spreading a KPL-sized array into Math.max would overflow the stack). */
function extreme(values: readonly number[], pick: (a: number, b: number) => number): number {
  let out = pick === Math.max ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const v of values) out = pick(out, v);
  return out;
}
