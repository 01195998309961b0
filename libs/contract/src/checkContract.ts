import { ATTRIBUTES, contractSchema, parseReference, type ContractShape, type ResourceKind } from './schema';

/** pipeline.json failed its checks; `problems` names each one by its path in the file. */
export class ContractError extends Error {
  constructor(readonly problems: string[]) {
    super(`the pipeline contract is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ContractError';
  }
}

/** The AWS service an action on each kind of resource belongs to: access stays on resources of its own kind. */
const SERVICE_OF: Record<ResourceKind, string> = {
  stream: 'kinesis',
  table: 'dynamodb',
  'bucket-prefix': 's3',
  queue: 'sqs',
  domain: 'es',
  key: 'kms',
};

/** Longest consumer name: functions are named shardline-<environment>-<consumer> and Lambda allows 64 characters. */
const MAX_CONSUMER_NAME = 64 - 'shardline-'.length - 10 - 1;

type Limit = { minimum?: number; maximum?: number };
const outside = (value: unknown, limit: Limit | undefined): boolean =>
  typeof value === 'number' &&
  limit !== undefined &&
  ((limit.minimum !== undefined && value < limit.minimum) ||
    (limit.maximum !== undefined && value > limit.maximum));

/**
 * Checks a hand-edited contract: its shape (zod), then what the shape cannot say: every reference names a
 * declared resource of its kind and an attribute that kind has, every parameter exists, access stays on
 * resources of the action's service, per-environment entries name declared environments, every value of every
 * environment lies within its limits, a consumer's limits only tighten the contract's, names do not collide.
 *
 * @returns the contract, typed by the schema.
 * @throws {ContractError} listing every problem at once.
 */
export function checkContract(value: unknown): ContractShape {
  const parsed = contractSchema.safeParse(value);
  if (!parsed.success) {
    throw new ContractError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const c = parsed.data;
  const problems: string[] = [];
  const environments = Object.keys(c.environments);
  const known = (kind: ResourceKind, name: string): boolean =>
    kind === 'stream' ? name in c.streams : c.resources[name]?.kind === kind;

  const checkEnvironments = (path: string, perEnvironment: Record<string, unknown>) => {
    for (const key of Object.keys(perEnvironment)) {
      if (key !== 'default' && !environments.includes(key)) {
        problems.push(`${path}.${key}: not an environment (${environments.join(', ')})`);
      }
    }
  };
  const checkReference = (
    path: string,
    value: Record<string, unknown>,
    isAccess: boolean,
  ): ResourceKind | undefined => {
    let reference;
    try {
      reference = parseReference(value, isAccess ? 'arn' : undefined);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
      return undefined;
    }
    if ('parameter' in reference) {
      if (isAccess) problems.push(`${path}: access names a resource, not a parameter`);
      else if (!(reference.parameter in c.parameters))
        problems.push(`${path}: no parameter '${reference.parameter}'`);
      return undefined;
    }
    const extra = Object.keys(value).filter((k) => ![reference.kind, 'attribute', 'only'].includes(k));
    if (extra.length > 0) problems.push(`${path}: unknown keys ${extra.join(', ')}`);
    if (!known(reference.kind, reference.name)) {
      problems.push(`${path}: no ${reference.kind} '${reference.name}' is declared`);
    }
    if (!(ATTRIBUTES[reference.kind] as readonly string[]).includes(reference.attribute)) {
      problems.push(
        `${path}: a ${reference.kind} has no attribute '${reference.attribute}' (${ATTRIBUTES[reference.kind].join(', ')})`,
      );
    }
    return reference.kind;
  };

  for (const [name, stream] of Object.entries(c.streams)) {
    checkEnvironments(`streams.${name}.settings`, stream.settings);
    for (const environment of ['default', ...environments]) {
      const settings = { ...stream.settings.default, ...stream.settings[environment] };
      for (const [setting, value] of Object.entries(settings)) {
        if (outside(value, c.limits[setting as keyof typeof c.limits])) {
          problems.push(
            `streams.${name} ${setting} in ${environment} is ${String(value)}: ${c.limits[setting as keyof typeof c.limits]!.reason}`,
          );
        }
      }
    }
  }
  for (const [name, parameter] of Object.entries(c.parameters)) {
    checkEnvironments(`parameters.${name}.value`, parameter.value);
    for (const [environment, value] of Object.entries(parameter.value)) {
      if (outside(value, parameter)) {
        problems.push(
          `parameters.${name}.value.${environment} is ${value}, outside ${parameter.minimum} to ${parameter.maximum}`,
        );
      }
    }
  }
  const prefixes = Object.entries(c.resources).flatMap(([name, r]) =>
    r.kind === 'bucket-prefix' ? [{ name, at: `${r.bucket}/${r.prefix}/` }] : [],
  );
  for (const a of prefixes) {
    for (const b of prefixes) {
      if (a !== b && b.at.startsWith(a.at))
        problems.push(`resources.${b.name}: its prefix lies under ${a.name}'s`);
    }
  }
  for (const [variable, value] of Object.entries(c.common.environment)) {
    checkReference(`common.environment.${variable}`, value, false);
  }

  /** Environment, metrics and access of a function; consumers also get the common variables and metrics. */
  const checkFunction = (
    at: string,
    fn: Pick<ContractShape['consumers'][string], 'environment' | 'metrics' | 'access'>,
    isConsumer: boolean,
  ) => {
    for (const [variable, value] of Object.entries(fn.environment)) {
      if (isConsumer && variable in c.common.environment)
        problems.push(`${at}.environment.${variable}: every consumer has it already`);
      checkReference(`${at}.environment.${variable}`, value, false);
    }
    for (const metric of Object.keys(fn.metrics)) {
      if (isConsumer && metric in c.common.metrics) problems.push(`${at}.metrics.${metric}: a common metric`);
    }
    const sids = new Set<string>();
    fn.access.forEach((statement, i) => {
      if (sids.has(statement.sid)) problems.push(`${at}.access[${i}]: Sid ${statement.sid} repeated`);
      sids.add(statement.sid);
      statement.resources.forEach((resource, j) => {
        const kind = checkReference(`${at}.access[${i}].resources[${j}]`, resource, true);
        for (const action of statement.actions) {
          if (kind && !action.startsWith(`${SERVICE_OF[kind]}:`)) {
            problems.push(`${at}.access[${i}]: ${action} on a ${kind} (${SERVICE_OF[kind]}:* actions only)`);
          }
          if (action.includes('*')) problems.push(`${at}.access[${i}]: ${action}: name each action`);
        }
      });
    });
  };

  for (const [name, consumer] of Object.entries(c.consumers)) {
    const at = `consumers.${name}`;
    if (name.length > MAX_CONSUMER_NAME)
      problems.push(`${at}: name longer than ${MAX_CONSUMER_NAME} characters`);
    if (!(consumer.stream in c.streams)) problems.push(`${at}.stream: no stream '${consumer.stream}'`);
    checkEnvironments(`${at}.settings`, consumer.settings);
    for (const [setting, limit] of Object.entries(consumer.limits ?? {})) {
      const base = c.limits[setting as keyof typeof c.limits];
      if (base && (outside(limit.minimum, base) || outside(limit.maximum, base))) {
        problems.push(`${at}.limits.${setting}: may only tighten the contract's limits`);
      }
    }
    for (const environment of ['default', ...environments]) {
      const settings = {
        ...c.common.settings,
        ...consumer.settings.default,
        ...consumer.settings[environment],
      };
      for (const [setting, value] of Object.entries(settings)) {
        const key = setting as keyof typeof c.limits;
        for (const limit of [c.limits[key], consumer.limits?.[key as keyof typeof consumer.limits]]) {
          if (outside(value, limit)) {
            problems.push(
              `${at} ${setting} in ${environment} is ${String(value)}: ${(limit as { reason: string }).reason}`,
            );
          }
        }
      }
    }
    checkFunction(at, consumer, true);
  }
  for (const [name, fn] of Object.entries(c.ingest)) {
    const at = `ingest.${name}`;
    if (name in c.consumers) problems.push(`${at}: a consumer has this name already`);
    if (name.length > MAX_CONSUMER_NAME)
      problems.push(`${at}: name longer than ${MAX_CONSUMER_NAME} characters`);
    if (!(fn.stream in c.streams)) problems.push(`${at}.stream: no stream '${fn.stream}'`);
    checkEnvironments(`${at}.settings`, fn.settings);
    for (const environment of ['default', ...environments]) {
      const settings = { ...fn.settings.default, ...fn.settings[environment] };
      for (const [setting, value] of Object.entries(settings)) {
        const limit = c.limits[setting as keyof typeof c.limits];
        if (outside(value, limit)) {
          problems.push(`${at} ${setting} in ${environment} is ${String(value)}: ${limit!.reason}`);
        }
      }
    }
    checkFunction(at, fn, false);
  }
  if (problems.length > 0) throw new ContractError(problems);
  return c;
}
