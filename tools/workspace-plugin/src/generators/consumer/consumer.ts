import { join } from 'node:path';
import {
  addProjectConfiguration,
  formatFiles,
  generateFiles,
  getProjects,
  names,
  readJson,
  updateJson,
  type GeneratorCallback,
  type Tree,
  workspaceRoot,
} from '@nx/devkit';

// From the workspace root, not __dirname: Node 22 strips this file's types and loads it as an ES module, where
// __dirname does not exist.
const TEMPLATES = join(workspaceRoot, 'tools', 'workspace-plugin', 'src', 'generators', 'consumer', 'files');

/** Options of `nx g @shardline/workspace:consumer`. */
export interface ConsumerGeneratorOptions {
  /** kebab-case: the app directory, the Nx project, the function name's suffix and the contract key. */
  name: string;
  /** The stream of the pipeline contract the consumer reads. */
  stream: string;
  /** The Lambda function's description. */
  description?: string;
}

/** The pipeline contract, which declares every consumer (`@shardline/contract`). */
export const CONTRACT_PATH = 'libs/contract/pipeline.json';

/**
 * A consumer name: lower-case words joined by single hyphens. At most 40 characters, so that
 * `shardline-<environment>-<name>` and the names derived from it (role, queues, alarms) stay within AWS limits.
 */
export const CONSUMER_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;

/**
 * Per stream, the event schema its records follow (`@shardline/schema`), which the generated handler validates,
 * and the fixture its integration spec puts on it (`@shardline/schema/testing`).
 */
export const STREAM_EVENTS: Readonly<
  Record<string, { schema: string; type: string; fixture: string; fixtureCall: string }>
> = {
  raw: {
    schema: 'adEventSchema',
    type: 'AdEvent',
    fixture: 'generateEvents',
    fixtureCall: 'generateEvents({ count: 20, seed: 7, invalidRatio: 0 }).map((g) => g.event)',
  },
  enriched: {
    schema: 'enrichedEventSchema',
    type: 'EnrichedEvent',
    fixture: 'generateEnrichedEvents',
    fixtureCall: 'generateEnrichedEvents({ count: 20, seed: 7 })',
  },
};

/** A generator option that cannot be used; the message says which and why. */
export class ConsumerOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsumerOptionsError';
  }
}

interface ContractJson {
  streams: Record<string, unknown>;
  consumers: Record<string, unknown>;
}

/**
 * Adds a consumer app in the house layout (`apps/<name>`: config, handler on the `kinesisConsumer` chain, pure
 * logic with its spec, an integration spec on the local stack, README) and declares it in the pipeline contract,
 * from which Terraform, the local runtime, the deploy helper and the tests derive everything else.
 *
 * @example
 * ```sh
 * npx nx g @shardline/workspace:consumer click-counter --stream enriched
 * ```
 * @throws {ConsumerOptionsError} for a name that is not kebab-case or is taken, or a stream the contract lacks.
 */
export async function consumerGenerator(
  tree: Tree,
  options: ConsumerGeneratorOptions,
): Promise<GeneratorCallback | void> {
  const contract = readContract(tree);
  const { name, stream } = validate(tree, contract, options);
  const root = `apps/${name}`;
  const n = names(name);
  const description = options.description ?? `Counts the ${stream} stream's events per type.`;

  addProjectConfiguration(tree, name, {
    root,
    sourceRoot: `${root}/src`,
    projectType: 'application',
    tags: ['type:app', `scope:${name}`],
    // Build and package come from the shared definitions in nx.json's targetDefaults.
    targets: { build: {}, package: {}, typecheck: {} },
  });
  generateFiles(tree, TEMPLATES, root, {
    name,
    stream,
    description,
    className: n.className,
    propertyName: n.propertyName,
    metricName: `${n.className}Events`,
    ...STREAM_EVENTS[stream]!,
    eventType: STREAM_EVENTS[stream]!.type,
    template: '',
  });
  updateJson<ContractJson>(tree, CONTRACT_PATH, (json) => {
    json.consumers[name] = {
      stream,
      description,
      settings: { default: {} },
      environment: {},
      metrics: { [`${n.className}Events`]: { stat: 'Sum' } },
      access: [],
    };
    return json;
  });
  await formatFiles(tree);
}

function readContract(tree: Tree): ContractJson {
  if (!tree.exists(CONTRACT_PATH)) {
    throw new ConsumerOptionsError(
      `${CONTRACT_PATH} is missing: the pipeline contract declares every consumer`,
    );
  }
  return readJson<ContractJson>(tree, CONTRACT_PATH);
}

function validate(tree: Tree, contract: ContractJson, options: ConsumerGeneratorOptions) {
  const { name, stream } = options;
  if (typeof name !== 'string' || !CONSUMER_NAME_PATTERN.test(name)) {
    throw new ConsumerOptionsError(
      `consumer name '${String(name)}' must be kebab-case: lower-case letters and digits in words joined by ` +
        `single hyphens, starting with a letter (e.g. click-counter)`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ConsumerOptionsError(
      `consumer name '${name}' is ${name.length} characters; at most ${MAX_NAME_LENGTH} keep the AWS names ` +
        `derived from it within their limits`,
    );
  }
  if (name in contract.consumers) {
    throw new ConsumerOptionsError(`consumer '${name}' is already declared in ${CONTRACT_PATH}`);
  }
  if (getProjects(tree).has(name)) {
    throw new ConsumerOptionsError(`'${name}' is already the name of an Nx project`);
  }
  if (tree.exists(`apps/${name}`)) {
    throw new ConsumerOptionsError(`apps/${name} already exists`);
  }
  const streams = Object.keys(contract.streams).filter((s) => s in STREAM_EVENTS);
  if (typeof stream !== 'string' || !streams.includes(stream)) {
    throw new ConsumerOptionsError(
      `--stream must be one of ${streams.join(', ')} (the contract's streams), got '${String(stream)}'`,
    );
  }
  return { name, stream };
}

export default consumerGenerator;
