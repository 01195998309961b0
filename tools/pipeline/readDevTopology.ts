import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EventSourceMappingSettings } from '@shardline/esm-emulator';
import { loadTerraformConfig, type HclBody, type HclValue, type TerraformConfig } from '../terraform/src';
import { TopologyError } from './errors';

/** The four consumers, in the order they are started. */
export const APPS = ['enrichment', 's3-archiver', 'dynamodb-aggregator', 'opensearch-indexer'] as const;

/** A consumer app of the pipeline. */
export type App = (typeof APPS)[number];

/** Account id substituted for `data.aws_caller_identity` (the local stack's dummy account). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** One consumer as Terraform declares it. */
export interface ConsumerTopology {
  /** Which stream its mapping reads. */
  stream: 'raw' | 'enriched';
  /** Terraform `timeout` of the function, in seconds. */
  timeoutSeconds: number;
  /** Terraform `memory_size`. */
  memorySize: number;
  /** Reads through enhanced fan-out instead of polling. */
  enhancedFanOut: boolean;
  /** The `aws_lambda_event_source_mapping` arguments, resolved. */
  settings: EventSourceMappingSettings;
  /** The function's environment as Terraform sets it, minus what only exists on AWS (see `notes`). */
  environment: Record<string, string>;
  /** Name of its on-failure queue. */
  onFailureQueue: string;
}

/** Names, sizes and mapping settings of the pipeline, as the dev environment's Terraform declares them. */
export interface PipelineTopology {
  streams: Record<
    'raw' | 'enriched',
    { name: string; shardCount: number; mode?: 'PROVISIONED' | 'ON_DEMAND'; retentionHours?: number }
  >;
  referenceTable: string;
  aggregatesTable: string;
  /** The enrichment publish ledger: from Terraform when it declares one, else `<prefix>-enrichment-ledger`. */
  ledgerTable: string;
  archiveBucket: string;
  archivePrefix: string;
  quarantineQueue: string;
  indexPrefix: string;
  consumers: Record<App, ConsumerTopology>;
  /** Every substitution made for what Terraform only knows on AWS (account id, KMS key, domain endpoint...). */
  notes: string[];
}

class Unresolved extends Error {
  constructor(readonly expression: string) {
    super(`cannot resolve ${expression}`);
    this.name = 'Unresolved';
  }
}

/** Module outputs the pipeline module reads, mapped to the module argument that names the thing. */
const OUTPUT_ARGUMENT: Record<string, string> = {
  stream_name: 'name',
  table_name: 'name',
  queue_name: 'name',
  bucket_name: 'bucket_name',
  domain_name: 'domain_name',
  prefix: 'prefix',
};

type Scope = {
  var: Record<string, HclValue>;
  local: Record<string, HclValue>;
  modules: Record<string, HclBody>;
  each?: string;
  notes: string[];
  /** Evaluates a local this reader cannot (a `for` expression) with Terraform itself. */
  evaluateLocal?: (name: string) => HclValue;
};

/**
 * OpenTofu from the tools cache, built from its Go module on first use by the same script the Terraform checks use,
 * for machines with neither terraform nor tofu on PATH.
 */
function cachedTofu(): string {
  return execFileSync('bash', [join(__dirname, '..', 'terraform', 'install-tofu.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * Evaluates `local.<name>` of a module with `terraform console` (or `tofu console`): only variables.tf and the file
 * declaring the local are copied, which works when that file is free of resource references (as sizing.tf is).
 */
function consoleLocal(moduleDir: string, variables: Record<string, HclValue>, name: string): HclValue {
  const files = readdirSync(moduleDir).filter((f) => f.endsWith('.tf'));
  const declaring = files.find((f) =>
    new RegExp(`^\\s*${name}\\s*=`, 'm').test(readFileSync(join(moduleDir, f), 'utf8')),
  );
  if (!declaring) throw new Unresolved(`local.${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-'));
  try {
    for (const file of new Set(['variables.tf', declaring]))
      copyFileSync(join(moduleDir, file), join(dir, file));
    const known = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, JSON.stringify(v).includes('${') ? 'unresolved' : v]),
    );
    writeFileSync(join(dir, 'terraform.tfvars.json'), JSON.stringify(known));
    for (const binary of ['terraform', 'tofu', cachedTofu]) {
      try {
        const out = execFileSync(typeof binary === 'string' ? binary : binary(), ['console'], {
          cwd: dir,
          input: `jsonencode(local.${name})\n`,
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'ignore'],
          timeout: 30_000,
        });
        return JSON.parse(JSON.parse(out.trim().split('\n').pop()!) as string) as HclValue;
      } catch {
        // try the next binary
      }
    }
    throw new Unresolved(`local.${name} (needs terraform or tofu on PATH, or Go to build tofu, to evaluate)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `optional(type, default)` defaults of an object type expression, by attribute. */
export function optionalDefaults(typeExpression: string): Record<string, HclValue> {
  const defaults: Record<string, HclValue> = {};
  const pattern = /([A-Za-z_][\w-]*)\s*=\s*optional\((?:[a-z]+(?:\([a-z]+\))?)\s*,\s*([^\n]+)\)\s*$/gm;
  for (const match of typeExpression.matchAll(pattern)) {
    defaults[match[1]!] = JSON.parse(match[2]!.trim()) as HclValue;
  }
  return defaults;
}

function variableValues(module: TerraformConfig, args: HclBody): Record<string, HclValue> {
  const values: Record<string, HclValue> = {};
  for (const [name, body] of Object.entries(module.variables)) {
    const given = name in args ? args[name]! : body.default;
    if (given === undefined) continue;
    const type = typeof body.type === 'string' ? body.type : '';
    const defaults = optionalDefaults(type);
    if (
      Object.keys(defaults).length === 0 ||
      given === null ||
      typeof given !== 'object' ||
      Array.isArray(given)
    ) {
      values[name] = given;
    } else if (type.startsWith('${map(')) {
      values[name] = Object.fromEntries(
        Object.entries(given).map(([key, item]) => [
          key,
          { ...defaults, ...(item as Record<string, HclValue>) },
        ]),
      );
    } else {
      values[name] = { ...defaults, ...given };
    }
  }
  return values;
}

function walk(root: HclValue | undefined, path: string, expression: string): HclValue {
  let current = root;
  for (const part of path.split('.').filter((p) => p.length > 0)) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !(part in current)) {
      throw new Unresolved(expression);
    }
    current = current[part];
  }
  if (current === undefined) throw new Unresolved(expression);
  return current;
}

function evaluateExpression(expression: string, scope: Scope): HclValue {
  const text = expression.trim();
  const call = /^tostring\((.*)\)$/.exec(text);
  if (call) return String(evaluateExpression(call[1]!, scope));
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^"[^"]*"$/.test(text)) return text.slice(1, -1);
  if (text === 'each.key' && scope.each !== undefined) return scope.each;
  // var.a[each.key].b and var.a.b
  const normalised = scope.each === undefined ? text : text.replace(/\[each\.key\]/g, `.${scope.each}`);
  const reference = /^(var|local|module)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)$/.exec(normalised);
  if (!reference) throw new Unresolved(text);
  const [, kind, name, rest] = reference as unknown as [string, string, string, string];
  if (kind === 'var') return resolveValue(walk(scope.var[name], rest, text), scope);
  if (kind === 'local') {
    const local = scope.local[name];
    if (typeof local === 'string' && /^\$\{[{[]\s*for\s/.test(local) && scope.evaluateLocal) {
      return resolveValue(walk(scope.evaluateLocal(name), rest, text), scope);
    }
    return resolveValue(walk(local, rest, text), scope);
  }
  const output = rest.slice(1);
  const argument = OUTPUT_ARGUMENT[output];
  const module = scope.modules[name];
  if (!module || !argument || !(argument in module)) throw new Unresolved(text);
  return resolveValue(module[argument]!, scope);
}

function resolveValue(value: HclValue, scope: Scope): HclValue {
  if (typeof value !== 'string') return value;
  const whole = /^\$\{([^}]*)\}$/.exec(value);
  if (whole) return evaluateExpression(whole[1]!, scope);
  return value.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
    if (expression.trim() === 'local.account_id') {
      scope.notes.push(
        `local.account_id -> ${LOCAL_ACCOUNT_ID} (data.aws_caller_identity exists on AWS only)`,
      );
      return LOCAL_ACCOUNT_ID;
    }
    return String(evaluateExpression(expression, scope));
  });
}

function asString(value: HclValue, what: string): string {
  if (typeof value !== 'string' || value.includes('${'))
    throw new TopologyError(`${what} is not a plain string`);
  return value;
}

function asNumber(value: HclValue, what: string): number {
  if (typeof value !== 'number') throw new TopologyError(`${what} is not a number`);
  return value;
}

/**
 * The module call with `var.<name>` arguments of the environment root resolved as Terraform would: from its
 * `*.auto.tfvars.json` files (the tuning `npm run tune` writes), else the variable's default.
 */
function withRootVariables(
  root: TerraformConfig,
  dir: string,
  call: HclBody | undefined,
): HclBody | undefined {
  if (!call) return call;
  const given: Record<string, HclValue> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.auto.tfvars.json'))
    .sort()) {
    Object.assign(given, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, HclValue>);
  }
  const resolved: HclBody = { ...call };
  for (const [argument, v] of Object.entries(call)) {
    const reference = typeof v === 'string' ? /^\$\{var\.([A-Za-z_][\w-]*)\}$/.exec(v) : null;
    if (!reference) continue;
    const name = reference[1]!;
    const value = name in given ? given[name] : root.variables[name]?.default;
    // A value only known at apply time (a path, an ARN) is left as it is.
    if (value !== undefined && typeof value === 'object') resolved[argument] = value;
  }
  return resolved;
}

/**
 * Reads `terraform/environments/<env>` (dev by default) and the pipeline module it instantiates with the HCL parser, and resolves the
 * names, shard counts, function sizes and event source mapping settings the local pipeline mirrors.
 *
 * Only the expression forms these files use are evaluated (`var.x`, `var.x[each.key].y`, `local.x`, module outputs
 * that echo an argument, `tostring()`, string templates); anything else raises {@link TopologyError} so a change to
 * the HCL is noticed instead of silently ignored.
 *
 * @example
 * ```ts
 * const topology = await readDevTopology('/path/to/repo');
 * topology.streams.raw.name; // 'shardline-dev-raw'
 * ```
 */
export async function readDevTopology(repoRoot: string, env = 'dev'): Promise<PipelineTopology> {
  const devDir = join(repoRoot, 'terraform', 'environments', env);
  try {
    const dev = await loadTerraformConfig(devDir);
    const pipelineCall = withRootVariables(dev, devDir, dev.modules.pipeline);
    if (!pipelineCall) throw new TopologyError(`${devDir} has no module "pipeline"`);
    const pipelineDir = resolve(devDir, asString(pipelineCall.source!, 'module.pipeline.source'));
    const pipeline = await loadTerraformConfig(pipelineDir);
    const consumerCall = pipeline.modules.consumer;
    if (!consumerCall) throw new TopologyError(`${pipelineDir} has no module "consumer"`);
    const consumerModule = await loadTerraformConfig(
      resolve(pipelineDir, asString(consumerCall.source!, 'source')),
    );

    const notes: string[] = [];
    const evaluated = new Map<string, HclValue>();
    const scope: Scope = {
      var: variableValues(pipeline, pipelineCall),
      local: pipeline.locals,
      modules: pipeline.modules,
      notes,
      evaluateLocal: (name) => {
        if (!evaluated.has(name)) {
          evaluated.set(name, consoleLocal(pipelineDir, scope.var, name));
          notes.push(`local.${name} evaluated with terraform console`);
        }
        return evaluated.get(name)!;
      },
    };
    const str = (value: HclValue | undefined, what: string): string =>
      asString(resolveValue(value ?? null, scope), what);
    const moduleArg = (module: string, argument: string): string =>
      str(pipeline.modules[module]?.[argument], `module.${module}.${argument}`);

    const stream = (name: 'raw' | 'enriched') => {
      const call = pipeline.modules[`${name}_stream`]!;
      return {
        name: moduleArg(`${name}_stream`, 'name'),
        shardCount: asNumber(resolveValue(call.shard_count!, scope), `${name} shard_count`),
        mode: resolveValue(call.stream_mode!, scope) as 'PROVISIONED' | 'ON_DEMAND',
        retentionHours: asNumber(resolveValue(call.retention_hours!, scope), `${name} retention_hours`),
      };
    };
    const streams = { raw: stream('raw'), enriched: stream('enriched') };
    const prefix = str(pipeline.locals.prefix, 'local.prefix');
    const ledgerTable = pipeline.modules.ledger_table
      ? moduleArg('ledger_table', 'name')
      : `${prefix}-enrichment-ledger`;
    if (!pipeline.modules.ledger_table)
      notes.push(`enrichment ledger table: ${ledgerTable} (not declared in Terraform)`);

    // The mapping defaults of the stream-consumer module, then the pipeline's arguments on top.
    const mappingDefaults = optionalDefaults(
      String(consumerModule.variables.event_source_mapping?.type ?? ''),
    );
    const esmResource = consumerModule.resources.aws_lambda_event_source_mapping?.this;
    if (!esmResource) throw new TopologyError('stream-consumer has no aws_lambda_event_source_mapping.this');
    const consumerVariables = consumerModule.variables;
    const apps = walk(pipeline.locals.apps, '', 'local.apps') as Record<string, Record<string, HclValue>>;
    const wiring = pipeline.locals.wiring as Record<string, { environment: Record<string, HclValue> }>;

    const consumers = {} as Record<App, ConsumerTopology>;
    for (const app of APPS) {
      if (!apps[app]) throw new TopologyError(`local.apps has no ${app}`);
      const appScope: Scope = { ...scope, each: app };
      const value = (v: HclValue | undefined) => resolveValue(v ?? null, appScope);
      const mappingArgs = consumerCall.event_source_mapping as Record<string, HclValue>;
      const mapping: Record<string, HclValue> = { ...mappingDefaults };
      for (const [key, v] of Object.entries(mappingArgs)) mapping[key] = value(v);

      const settings: EventSourceMappingSettings = {
        starting_position: mapping.starting_position as EventSourceMappingSettings['starting_position'],
        batch_size: mapping.batch_size as number,
        maximum_batching_window_in_seconds: mapping.maximum_batching_window_in_seconds as number,
        bisect_batch_on_function_error: mapping.bisect_batch_on_function_error as boolean,
        maximum_retry_attempts: mapping.maximum_retry_attempts as number,
        maximum_record_age_in_seconds: mapping.maximum_record_age_in_seconds as number,
        parallelization_factor: mapping.parallelization_factor as number,
        function_response_types: esmResource.function_response_types as string[],
      };
      if (typeof mapping.tumbling_window_in_seconds === 'number') {
        settings.tumbling_window_in_seconds = mapping.tumbling_window_in_seconds;
      }
      const patterns = mapping.filter_patterns;
      if (Array.isArray(patterns) && patterns.length > 0) {
        settings.filter_criteria = { filter: patterns.map((pattern) => ({ pattern: String(pattern) })) };
      }

      const environment: Record<string, string> = {};
      for (const [name, v] of Object.entries(wiring[app]?.environment ?? {})) {
        try {
          environment[name] = String(value(v));
        } catch (error) {
          if (!(error instanceof Unresolved)) throw error;
          notes.push(`${app}: ${name} = ${String(v)} exists on AWS only; left unset locally`);
        }
      }
      environment.POWERTOOLS_SERVICE_NAME = app;
      environment.POWERTOOLS_METRICS_NAMESPACE = String(
        consumerVariables.metrics_namespace?.default ?? 'Shardline',
      );
      environment.POWERTOOLS_LOG_LEVEL = String(value(consumerCall.log_level));

      consumers[app] = {
        stream: value(apps[app].stream) as 'raw' | 'enriched',
        timeoutSeconds: asNumber(value(consumerCall.timeout_seconds), `${app} timeout_seconds`),
        memorySize: asNumber(value(consumerCall.memory_size), `${app} memory_size`),
        enhancedFanOut: value(consumerCall.enhanced_fan_out) === true,
        settings,
        environment,
        // A for_each module: its name template holds each.key.
        onFailureQueue: asString(value(pipeline.modules.on_failure_queue?.name), 'on_failure_queue.name'),
      };
    }

    return {
      streams,
      referenceTable: moduleArg('reference_table', 'name'),
      aggregatesTable: moduleArg('aggregates_table', 'name'),
      ledgerTable,
      archiveBucket: moduleArg('archive', 'bucket_name'),
      archivePrefix: moduleArg('archive', 'prefix'),
      quarantineQueue: moduleArg('quarantine_queue', 'name'),
      indexPrefix: String(resolveValue('${var.opensearch_index_prefix}', scope)),
      consumers,
      notes: [...new Set(notes)],
    };
  } catch (error) {
    if (error instanceof TopologyError) throw error;
    throw new TopologyError(`cannot read the dev environment's Terraform: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
