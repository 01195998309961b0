import { REASON } from './constants';
import { documentId } from './documentId';
import { chunkByBytes, planBulk } from './planBulk';
import { decodedRecords, enrichedEvents } from './test-helpers/enrichedEvents';

describe('planBulk', () => {
  it('indexes each record by its identity into the day of its event time, reusing its JSON text', () => {
    // Prepare
    const records = decodedRecords(enrichedEvents(3));

    // Act
    const plan = planBulk(records, { indexPrefix: 'events' });

    // Assess
    expect(plan.documents).toHaveLength(3);
    for (const [i, doc] of plan.documents.entries()) {
      const event = records[i]!.payload;
      const [action, source, end] = doc.lines.split('\n');
      expect(JSON.parse(action!)).toEqual({
        index: {
          _index: `events-${event.time.slice(0, 10).replaceAll('-', '.')}`,
          _id: documentId(event.source, event.id),
        },
      });
      expect(source).toBe(records[i]!.text);
      expect(end).toBe('');
      expect(doc.bytes).toBe(Buffer.byteLength(doc.lines));
    }
  });

  it('keeps only the last record of the batch for an identity and reports the earlier ones as superseded', () => {
    // Prepare
    const [event] = enrichedEvents(1);
    const records = decodedRecords([event!, { ...event!, data: { ...event!.data, revenueMicros: 42 } }]);

    // Act
    const plan = planBulk(records, { indexPrefix: 'events' });

    // Assess
    expect(plan.documents.map((d) => d.record)).toEqual([records[1]]);
    expect(plan.superseded).toEqual([records[0]]);
  });

  it('refuses an event time far from the arrival, so content cannot create indices at will', () => {
    // Prepare
    const [event] = enrichedEvents(1);
    const records = decodedRecords([{ ...event!, time: '9999-12-31T23:59:59Z' }]);

    // Act
    const plan = planBulk(records, { indexPrefix: 'events' });

    // Assess
    expect(plan.documents).toHaveLength(0);
    expect(plan.refused).toEqual([expect.objectContaining({ reason: REASON.eventTimeOutOfRange })]);
  });

  it('re-serialises a record whose text spans lines, keeping the NDJSON body one line per source', () => {
    // Prepare
    const [record] = decodedRecords(enrichedEvents(1));
    const pretty = { ...record!, text: JSON.stringify(record!.payload, null, 2) };

    // Act
    const plan = planBulk([pretty], { indexPrefix: 'events' });

    // Assess
    const lines = plan.documents[0]!.lines.split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toEqual(record!.payload);
  });
});

describe('chunkByBytes', () => {
  it('fills chunks up to the cap and sends an oversized document alone', () => {
    // Prepare
    const docs = [5, 4, 2, 20, 1].map((bytes) => ({ bytes }));

    // Act
    const chunks = chunkByBytes(docs, 10);

    // Assess
    expect(chunks.map((c) => c.map((d) => d.bytes))).toEqual([[5, 4], [2], [20], [1]]);
  });
});
