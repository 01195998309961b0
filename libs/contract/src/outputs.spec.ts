import { consumerNames, contract } from './contract';
import {
  commonOutputs,
  consumerStages,
  inputStreams,
  outputsOf,
  parseOutput,
  pipelineOutputs,
  writersOf,
} from './outputs';

describe('outputs of the pipeline contract', () => {
  it("reads each consumer's outputs and the common quarantine", () => {
    // Act
    const aggregator = outputsOf('dynamodb-aggregator');

    // Assess
    expect(aggregator).toEqual([{ kind: 'table', name: 'aggregates', format: 'minute-counters' }]);
    expect(commonOutputs).toEqual([
      { kind: 'queue', name: 'quarantine', format: 'quarantine-messages', overflow: 'quarantine-overflow' },
    ]);
  });

  it('lists every output once, the common quarantine written by every consumer', () => {
    // Act
    const outputs = pipelineOutputs();

    // Assess
    expect(outputs.find((o) => o.format === 'quarantine-messages')?.writers).toEqual(consumerNames);
    expect(outputs.find((o) => o.format === 'ndjson-gzip')).toEqual({
      kind: 'bucket-prefix',
      name: 'archive',
      format: 'ndjson-gzip',
      writers: ['s3-archiver'],
    });
    expect(outputs).toHaveLength(5);
  });

  it('knows which consumer writes each stream and which streams producers feed', () => {
    // Act
    const enrichedWriters = writersOf('enriched');
    const inputs = inputStreams();

    // Assess
    expect(enrichedWriters).toEqual(['enrichment']);
    expect(inputs).toEqual(['raw']);
  });

  it('stages the consumers so that each drains after those writing its stream', () => {
    // Act
    const stages = consumerStages();

    // Assess
    expect(stages.flat().sort()).toEqual([...consumerNames].sort());
    for (const [i, stage] of stages.entries()) {
      for (const consumer of stage) {
        const writers = writersOf(contract.consumers[consumer].stream);
        for (const writer of writers) expect(stages.findIndex((s) => s.includes(writer))).toBeLessThan(i);
        if (writers.length === 0) expect(i).toBe(0);
      }
    }
    expect(stages[0]).toEqual(['enrichment']);
  });

  it('refuses an output naming no kind or an unknown format', () => {
    // Act
    const noKind = () => parseOutput({ format: 'documents' });
    const badFormat = () => parseOutput({ table: 'aggregates', format: 'csv' });

    // Assess
    expect(noKind).toThrow('names no resource kind');
    expect(badFormat).toThrow("format 'csv' is none of");
  });
});
