import { consumerNames, contract, streamNames, type ConsumerName, type StreamName } from './contract';
import { OUTPUT_FORMATS, RESOURCE_KINDS, type OutputFormat, type ResourceKind } from './schema';

/** What a consumer writes: a resource of the contract, in a format that says what it holds. */
export interface Output {
  kind: ResourceKind;
  /** The resource's name in the contract (a stream's, for kind `stream`). */
  name: string;
  format: OutputFormat;
  /** `quarantine-messages` only: the bucket prefix a message too large for the queue is stored under. */
  overflow?: string;
}

type OutputJson = Record<string, unknown> & { format?: unknown; overflow?: { 'bucket-prefix'?: unknown } };

/**
 * Reads `{"table": "aggregates", "format": "minute-counters"}` into an {@link Output}.
 * @throws {Error} when it names no kind or more than one, or a format that does not exist.
 */
export function parseOutput(value: OutputJson): Output {
  const kinds = RESOURCE_KINDS.filter((k) => typeof value[k] === 'string');
  if (kinds.length !== 1) {
    throw new Error(
      `names ${kinds.length === 0 ? 'no' : 'more than one'} resource kind (${RESOURCE_KINDS.join(', ')})`,
    );
  }
  const format = value.format as OutputFormat;
  if (!(format in OUTPUT_FORMATS)) {
    throw new Error(`format '${String(value.format)}' is none of ${Object.keys(OUTPUT_FORMATS).join(', ')}`);
  }
  const overflow = value.overflow?.['bucket-prefix'];
  return {
    kind: kinds[0]!,
    name: value[kinds[0]!] as string,
    format,
    ...(typeof overflow === 'string' ? { overflow } : {}),
  };
}

/** The outputs every consumer has through the middleware (the quarantine). */
export const commonOutputs: readonly Output[] = contract.common.outputs.map((o) => parseOutput(o));

/**
 * What a consumer writes beyond the common outputs, as its contract entry declares it (none for a consumer that
 * only reads, as the generator's template).
 *
 * @example
 * ```ts
 * outputsOf('dynamodb-aggregator'); // [{ kind: 'table', name: 'aggregates', format: 'minute-counters' }]
 * ```
 */
export function outputsOf(consumer: ConsumerName): Output[] {
  const declared = (contract.consumers as Record<string, { outputs?: OutputJson[] }>)[consumer];
  if (!declared) throw new Error(`the contract declares no consumer '${consumer}'`);
  return (declared.outputs ?? []).map((o) => parseOutput(o));
}

/** An output of the pipeline with the consumers that write it. */
export interface PipelineOutput extends Output {
  writers: ConsumerName[];
}

/**
 * Every distinct output of the pipeline (same resource and format), with its writers: each consumer's own, and
 * the common ones, which every consumer writes.
 *
 * @example
 * ```ts
 * pipelineOutputs().find((o) => o.format === 'quarantine-messages')?.writers; // every consumer
 * ```
 */
export function pipelineOutputs(): PipelineOutput[] {
  const outputs = new Map<string, PipelineOutput>();
  const add = (output: Output, writer: ConsumerName) => {
    const key = `${output.kind}\u0000${output.name}\u0000${output.format}`;
    const known = outputs.get(key) ?? { ...output, writers: [] };
    if (!known.writers.includes(writer)) known.writers.push(writer);
    outputs.set(key, known);
  };
  for (const consumer of consumerNames) for (const output of outputsOf(consumer)) add(output, consumer);
  for (const consumer of consumerNames) for (const output of commonOutputs) add(output, consumer);
  return [...outputs.values()];
}

/** The consumers that write a stream (an output of kind `stream`). */
export function writersOf(stream: string): ConsumerName[] {
  return consumerNames.filter((c) => outputsOf(c).some((o) => o.kind === 'stream' && o.name === stream));
}

/** The streams no consumer writes: the ones producers put records on. */
export function inputStreams(): StreamName[] {
  return streamNames.filter((s) => writersOf(s).length === 0);
}

/**
 * The consumers in stages along the stream graph: stage 0 reads streams no consumer writes; a consumer of a
 * stream that other consumers write comes one stage after the last of them. Draining stage by stage means
 * nothing is still writing the stream a stage reads.
 *
 * @example
 * ```ts
 * consumerStages(); // [['enrichment'], ['s3-archiver', 'dynamodb-aggregator', 'opensearch-indexer']]
 * ```
 * @throws {Error} naming the consumers when the graph has a cycle (a consumer that feeds its own stream).
 */
export function consumerStages(): ConsumerName[][] {
  const stageOf = new Map<ConsumerName, number>();
  const visiting = new Set<ConsumerName>();
  const visit = (consumer: ConsumerName): number => {
    const known = stageOf.get(consumer);
    if (known !== undefined) return known;
    if (visiting.has(consumer)) {
      throw new Error(`the stream graph has a cycle through ${[...visiting, consumer].join(' -> ')}`);
    }
    visiting.add(consumer);
    const writers = writersOf(contract.consumers[consumer].stream);
    const stage = writers.length === 0 ? 0 : 1 + Math.max(...writers.map(visit));
    visiting.delete(consumer);
    stageOf.set(consumer, stage);
    return stage;
  };
  const stages: ConsumerName[][] = [];
  for (const consumer of consumerNames) (stages[visit(consumer)] ??= []).push(consumer);
  return stages;
}
