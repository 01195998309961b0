import type { EnrichedEvent } from '@shardline/schema';
import type { PlainItem } from './localTable';

/**
 * What the table must hold after counting each event exactly once, computed independently of the aggregator:
 * every attribute but the high-water marks.
 */
export function expectedItems(events: readonly EnrichedEvent[], ttlDays: number): PlainItem[] {
  const items = new Map<
    string,
    {
      pk: string;
      windowStart: string;
      campaignId: string;
      eventType: string;
      count: number;
      revenue: bigint;
      first: string;
      last: string;
      expiresAt: number;
    }
  >();
  for (const event of events) {
    const time = new Date(event.time);
    const minute = new Date(time);
    minute.setUTCSeconds(0, 0);
    const windowStart = minute.toISOString().replace('.000Z', 'Z');
    const pk = `${event.data.campaignId}#${event.type}`;
    const iso = time.toISOString();
    const key = `${pk} ${windowStart}`;
    const item = items.get(key) ?? {
      pk,
      windowStart,
      campaignId: event.data.campaignId,
      eventType: event.type,
      count: 0,
      revenue: 0n,
      first: iso,
      last: iso,
      expiresAt: minute.getTime() / 1000 + 60 + ttlDays * 86_400,
    };
    item.count++;
    item.revenue += BigInt(event.data.revenueMicros);
    if (iso < item.first) item.first = iso;
    if (iso > item.last) item.last = iso;
    items.set(key, item);
  }
  return [...items.values()]
    .map((i) => ({
      pk: i.pk,
      windowStart: i.windowStart,
      campaignId: i.campaignId,
      eventType: i.eventType,
      eventCount: i.count,
      revenueMicros: Number.isSafeInteger(Number(i.revenue)) ? Number(i.revenue) : i.revenue.toString(),
      firstSeen: i.first,
      lastSeen: i.last,
      expiresAt: i.expiresAt,
    }))
    .sort((a, b) => `${a.pk} ${a.windowStart}`.localeCompare(`${b.pk} ${b.windowStart}`));
}

/** An item without its per-shard high-water marks, to compare with {@link expectedItems}. */
export function withoutMarks(items: readonly PlainItem[]): PlainItem[] {
  return items.map((item) =>
    Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith('hwm:'))),
  );
}
