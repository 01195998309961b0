import { contract, functionOf, isConsumer, parameterValue, type FunctionName } from './contract';
import { parseReference, type Reference, type ResourceKind } from './schema';

/**
 * The resources of one deployment, by kind and name, with their attributes: what the contract's symbolic
 * references resolve against. Terraform builds the same map (`local.resources` in terraform/modules/pipeline)
 * from the resources it creates; the local runtime builds it from the local stack's names.
 */
export type ResourceMap = {
  readonly [K in ResourceKind]: Readonly<Record<string, Readonly<Record<string, string>>>>;
};

/** Where a consumer runs: `aws` (Terraform) or `local` (the local runtime); `only` entries apply to one. */
export type Target = 'aws' | 'local';

/** An unresolvable reference, naming what pointed at it. */
export class ContractReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractReferenceError';
  }
}

/** A reference's value in a deployment. */
export function resolveReference(
  reference: Reference,
  resources: ResourceMap,
  environment: string,
  what: string,
): string {
  if ('parameter' in reference) return String(parameterValue(reference.parameter, environment));
  const attributes = resources[reference.kind]?.[reference.name];
  if (!attributes)
    throw new ContractReferenceError(`${what}: no ${reference.kind} '${reference.name}' in this deployment`);
  const value = attributes[reference.attribute];
  if (value === undefined) {
    throw new ContractReferenceError(
      `${what}: ${reference.kind} '${reference.name}' has no attribute '${reference.attribute}' here`,
    );
  }
  return value;
}

/**
 * A consumer's environment variables (its own and the common ones) resolved for a target, skipping the entries
 * marked `only` for the other target.
 *
 * @example
 * ```ts
 * resolveEnvironment('dynamodb-aggregator', 'local', 'dev', resources);
 * // { AGGREGATES_TABLE_NAME: 'shardline-dev-aggregates', AGGREGATE_TTL_DAYS: '7', QUARANTINE_QUEUE_URL: 'http://...' }
 * ```
 * @throws {ContractReferenceError} naming the variable whose resource or attribute the map lacks.
 */
export function resolveEnvironment(
  consumer: FunctionName,
  target: Target,
  environment: string,
  resources: ResourceMap,
): Record<string, string> {
  const declared: Record<string, Record<string, unknown>> = {
    ...(functionOf(consumer).environment as Record<string, Record<string, unknown>>),
    ...(isConsumer(consumer) ? contract.common.environment : {}),
  };
  const resolved: Record<string, string> = {};
  for (const [variable, value] of Object.entries(declared)) {
    const reference = parseReference(value);
    if (reference.only !== undefined && reference.only !== target) continue;
    resolved[variable] = resolveReference(reference, resources, environment, `${consumer} ${variable}`);
  }
  return resolved;
}
