import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadTerraformConfig } from './terraformConfig';
import { planTerraform, type TerraformPlan } from './terraformPlan';

// The module conventions, on the offline plan of every root (both environments and every module's example):
// planTerraform runs `tofu validate` first, which refuses a reference to an undeclared variable, local or module
// output anywhere (locals included) and a module call with an unknown or a missing argument; the assertions
// below check the same on the configuration the plan JSON lists, module by module.
const ROOT = resolve(__dirname, '..', '..');
const TERRAFORM_DIR = join(ROOT, 'terraform');
const MODULES_DIR = join(TERRAFORM_DIR, 'modules');
const moduleNames = readdirSync(MODULES_DIR).sort();
const exampleRoots = moduleNames.flatMap((m) => {
  const examples = join(MODULES_DIR, m, 'examples');
  return existsSync(examples) ? readdirSync(examples).map((e) => `modules/${m}/examples/${e}`) : [];
});
const environmentRoots = readdirSync(join(TERRAFORM_DIR, 'environments')).map((e) => `environments/${e}`);
const roots = [...environmentRoots, ...exampleRoots];
// The inputs a root requires (check.sh plans prod with the same).
const ROOT_ARGS: Record<string, string[]> = {
  'environments/prod': [
    '-var',
    'alarm_emails=["alarms@example.com"]',
    '-var',
    'opensearch_master_user_arn=arn:aws:iam::123456789012:role/opensearch-admin',
  ],
};

// The two spellings of "6.x, not 7" the configuration uses (modules state a range, roots a pessimistic one).
const AWS_6 = ['~> 6.0', '>= 6.0.0, < 7.0.0'];

// The first plan on a machine builds OpenTofu and the offline AWS provider into the tools cache.
const firstPlanMs = 60 * 60_000;

/** One module of the `configuration` section of `tofu show -json`. */
interface ModuleConfig {
  variables?: Record<string, { type?: unknown; description?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string; expression?: unknown }>;
  resources?: Record<string, unknown>[];
  module_calls?: Record<string, ModuleCall>;
}

interface ModuleCall {
  source: string;
  expressions?: Record<string, unknown>;
  count_expression?: unknown;
  for_each_expression?: unknown;
  module: ModuleConfig;
}

/** A module of a root's configuration tree, with the directory it comes from. */
interface PlannedModule {
  /** Directory relative to terraform/. */
  readonly dir: string;
  readonly config: ModuleConfig;
  /** `module.<call>` names of its calls, with the callee. */
  readonly calls: Record<string, PlannedModule & { call: ModuleCall }>;
}

function treeOf(dir: string, config: ModuleConfig): PlannedModule {
  const calls: PlannedModule['calls'] = {};
  for (const [name, call] of Object.entries(config.module_calls ?? {})) {
    calls[name] = { ...treeOf(relative(TERRAFORM_DIR, resolve(TERRAFORM_DIR, dir, call.source)), call.module), call };
  }
  return { dir, config, calls };
}

function* everyModule(module: PlannedModule): Generator<PlannedModule> {
  yield module;
  for (const callee of Object.values(module.calls)) yield* everyModule(callee);
}

/** Every `references` list anywhere under `value` (the plan's own record of what each expression reads). */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'references' && Array.isArray(child)) found.push(...(child as string[]));
      else if (key !== 'module') referencesIn(child, found);
    }
  }
  return found;
}

/** The names of a reference's steps, index steps left out: `module.stream["raw"].stream_arn` -> module, stream, stream_arn. */
function stepsOf(reference: string): string[] {
  const steps: string[] = [];
  let name = '';
  let depth = 0;
  let quoted = false;
  for (const ch of reference) {
    if (quoted) quoted = ch !== '"';
    else if (ch === '"') quoted = true;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (depth > 0) continue;
    else if (ch === '.') {
      steps.push(name);
      name = '';
    } else name += ch;
  }
  steps.push(name);
  return steps.filter((s) => s !== '');
}

/** The expressions a module writes itself (not those of the modules it calls). */
function ownExpressions(config: ModuleConfig): unknown[] {
  return [
    config.resources ?? [],
    config.outputs ?? {},
    Object.values(config.module_calls ?? {}).map((c) => [c.expressions, c.count_expression, c.for_each_expression]),
  ];
}

const plans: Record<string, TerraformPlan> = {};
const trees: Record<string, PlannedModule> = {};

beforeAll(() => {
  for (const root of roots) {
    plans[root] = planTerraform(root, ROOT_ARGS[root] ?? []);
    const configuration = plans[root].json.configuration as { root_module: ModuleConfig };
    trees[root] = treeOf(root, configuration.root_module);
  }
}, firstPlanMs);

/** The configuration of a module directory, from the first root whose tree holds it. */
function moduleConfig(dir: string): ModuleConfig | undefined {
  for (const tree of Object.values(trees)) {
    for (const module of everyModule(tree)) if (module.dir === dir) return module.config;
  }
  return undefined;
}

describe('Terraform modules', () => {
  it('finds the modules of the pipeline', () => {
    // Assess
    expect(moduleNames).toEqual(
      expect.arrayContaining([
        'archive-bucket',
        'dynamodb-table',
        'kinesis-stream',
        'monitoring',
        'opensearch-domain',
        'pipeline',
        'queue',
        'stream-consumer',
      ]),
    );
  });

  it.each(moduleNames)('module %s has the standard files, a README and an example', (name) => {
    // Prepare
    const dir = join(MODULES_DIR, name);

    // Assess
    for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
    expect(readdirSync(join(dir, 'examples')).length).toBeGreaterThan(0);
  });

  it.each(moduleNames)('module %s describes and types every variable and describes every output', (name) => {
    // Act: the module as its example (and the environments) plan it.
    const config = moduleConfig(`modules/${name}`);

    // Assess: the plan lists a variable's type unless it is `any`, which no module input may be.
    expect(config).toBeDefined();
    expect(Object.keys(config?.variables ?? {}).length).toBeGreaterThan(0);
    for (const [variable, body] of Object.entries(config?.variables ?? {})) {
      expect([variable, typeof body.description, body.type === undefined]).toEqual([variable, 'string', false]);
    }
    for (const [output, body] of Object.entries(config?.outputs ?? {})) {
      expect([output, typeof body.description]).toEqual([output, 'string']);
    }
  });

  it.each(roots)('%s refers only to declared variables, in every module it plans', (root) => {
    for (const module of everyModule(trees[root]!)) {
      // Act
      const used = referencesIn(ownExpressions(module.config))
        .map(stepsOf)
        .filter((steps) => steps[0] === 'var')
        .map((steps) => steps[1]!);

      // Assess
      const declared = Object.keys(module.config.variables ?? {});
      expect({ module: module.dir, undeclared: [...new Set(used)].filter((v) => !declared.includes(v)) }).toEqual({
        module: module.dir,
        undeclared: [],
      });
    }
  });

  it.each(roots)('%s calls modules with exactly their inputs and reads only their outputs', (root) => {
    for (const module of everyModule(trees[root]!)) {
      // Act
      const read = referencesIn(ownExpressions(module.config))
        .map(stepsOf)
        .filter((steps) => steps[0] === 'module' && steps.length > 2);

      for (const [call, callee] of Object.entries(module.calls)) {
        const variables = callee.config.variables ?? {};
        const passed = Object.keys(callee.call.expressions ?? {});
        const required = Object.entries(variables)
          .filter(([, v]) => v.required === true)
          .map(([name]) => name);
        const outputs = read.filter((steps) => steps[1] === call).map((steps) => steps[2]!);

        // Assess
        const at = `${module.dir}: module.${call}`;
        expect(callee.call.source.startsWith('.')).toBe(true);
        expect({ at, unknown: passed.filter((p) => !(p in variables)) }).toEqual({ at, unknown: [] });
        expect({ at, missing: required.filter((r) => !passed.includes(r)) }).toEqual({ at, missing: [] });
        expect({ at, unknown: outputs.filter((o) => !(o in (callee.config.outputs ?? {}))) }).toEqual({
          at,
          unknown: [],
        });
      }
    }
  });

  it.each(roots)('%s plans with the hashicorp/aws provider 6.x', (root) => {
    // Prepare
    const providers = (plans[root]!.json.configuration as { provider_config: Record<string, Record<string, string>> })
      .provider_config;

    // Assess
    expect(providers.aws?.full_name?.endsWith('/hashicorp/aws')).toBe(true);
    expect(AWS_6).toContain(providers.aws?.version_constraint);
  });

  // A module's required_providers and every required_version are not in the plan JSON (it lists the root's
  // provider configuration only): they are read from the HCL with a maintained parser.
  it.each([...moduleNames.map((m) => `modules/${m}`), ...roots])(
    '%s pins the AWS provider and the Terraform version',
    async (dir) => {
      // Act
      const config = await loadTerraformConfig(join(TERRAFORM_DIR, dir));
      const terraform = config.terraform[0] ?? {};
      const providers = (terraform.required_providers as Record<string, { source: string; version: string }>[])?.[0];

      // Assess
      expect(typeof terraform.required_version).toBe('string');
      expect(providers?.aws?.source).toBe('hashicorp/aws');
      expect(AWS_6).toContain(providers?.aws?.version);
    },
  );
});
