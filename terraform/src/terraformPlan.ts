import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The workspace root (this file is terraform/src/terraformPlan.ts). */
const workspaceRoot = join(__dirname, '..', '..');

/** A JSON value as `tofu show -json` renders planned values. */
export type PlanValue = string | number | boolean | null | PlanValue[] | { [key: string]: PlanValue };

/** One resource or data source the plan creates or reads, with its arguments resolved. */
export interface PlannedResource {
  /** Full address, e.g. `module.pipeline.module.consumer["enrichment"].aws_lambda_function.this`. */
  readonly address: string;
  /** Address of the module that declares it (`module.pipeline.module.consumer["enrichment"]`), '' at the root. */
  readonly module: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** `count` or `for_each` key, when it has one. */
  readonly index?: string | number;
  /** Every attribute with its planned value; computed ones the plan cannot know yet are absent (see `unknown`). */
  readonly values: Record<string, PlanValue>;
  /** The same shape as `values`, `true` where the value is known only after apply (ids, ARNs, ...). */
  readonly unknown: Record<string, PlanValue>;
}

/** The offline plan of one Terraform root (see tools/terraform/plan.sh). */
export interface TerraformPlan {
  /** The root, relative to terraform/ (`environments/dev`). */
  readonly root: string;
  /** Every planned resource and every data source read at apply, in plan order. */
  readonly resources: readonly PlannedResource[];
  /** The whole `tofu show -json` document: `configuration` has every expression and its references. */
  readonly json: Record<string, unknown>;
}

/** Raised when a root cannot be planned. */
export class TerraformPlanError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerraformPlanError';
  }
}

interface ResourceChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  change: { after: Record<string, PlanValue> | null; after_unknown?: Record<string, PlanValue> };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** A key over everything the plan depends on: the Terraform tree, the plan tooling and the arguments. */
function planKey(root: string, args: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify([root, args]));
  for (const dir of ['terraform', 'tools/terraform']) {
    for (const file of filesUnder(join(workspaceRoot, dir))) {
      if (file.includes('node_modules') || file.startsWith('src/')) continue;
      hash.update(`${dir}/${file}\0`).update(readFileSync(join(workspaceRoot, dir, file)));
    }
  }
  // Terraform reads the contract and the runtime setting from outside terraform/.
  for (const file of ['libs/contract/pipeline.json', '.nvmrc'])
    hash.update(`${file}\0`).update(readFileSync(join(workspaceRoot, file)));
  // The apps decide which stand-in packages exist.
  hash.update(readdirSync(join(workspaceRoot, 'apps')).sort().join('\0'));
  return hash.digest('hex').slice(0, 16);
}

const memo = new Map<string, TerraformPlan>();

/**
 * Plans one Terraform root offline (OpenTofu and the offline AWS provider, see tools/terraform/plan.sh) and
 * returns the resolved plan. The plan's JSON is cached under tmp/terraform-plan/, keyed by every file it
 * depends on, so the spec files of a run (and later runs) plan each root once. The first call on a machine
 * builds OpenTofu and the provider into the tools cache: give it time (`beforeAll(..., 60 * 60_000)`).
 *
 * @param root - the root relative to terraform/, e.g. `environments/dev` or `modules/queue/examples/basic`
 * @param args - more `tofu plan` arguments, e.g. `['-var', 'alarm_emails=["a@example.com"]']`
 *
 * @example
 * ```ts
 * const plan = planTerraform('environments/dev');
 * const functions = plannedResources(plan, 'aws_lambda_function');
 * expect(functions.map((f) => f.values.function_name)).toContain('shardline-dev-enrichment');
 * ```
 */
export function planTerraform(root: string, args: readonly string[] = []): TerraformPlan {
  const key = planKey(root, args);
  const cached = memo.get(key);
  if (cached) return cached;
  const dir = join(workspaceRoot, 'tmp', 'terraform-plan', `${root.replaceAll('/', '-')}-${key}`);
  const planFile = join(dir, 'plan.json');
  if (!existsSync(planFile)) {
    // Plan into a scratch directory and rename it: concurrent Jest workers never read a half-written plan.
    const scratch = `${dir}.${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    try {
      execFileSync('bash', [join(workspaceRoot, 'tools/terraform/plan.sh'), root, scratch, ...args], {
        cwd: workspaceRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new TerraformPlanError(`cannot plan terraform/${root}:\n${stderr.slice(-4000)}`, { cause: error });
    }
    rmSync(join(scratch, 'tree'), { recursive: true, force: true });
    rmSync(join(scratch, 'data'), { recursive: true, force: true });
    if (!existsSync(planFile)) {
      try {
        renameSync(scratch, dir);
      } catch {
        // Another worker renamed its own first: same inputs, same plan.
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  const json = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
  const changes = (json.resource_changes ?? []) as ResourceChange[];
  const plan: TerraformPlan = {
    root: relative(join(workspaceRoot, 'terraform'), join(workspaceRoot, 'terraform', root)),
    json,
    resources: changes.map((c) => ({
      address: c.address,
      module: c.module_address ?? '',
      mode: c.mode,
      type: c.type,
      name: c.name,
      ...(c.index === undefined ? {} : { index: c.index }),
      values: c.change.after ?? {},
      unknown: c.change.after_unknown ?? {},
    })),
  };
  memo.set(key, plan);
  return plan;
}

/** The planned resources of one type (managed resources unless `mode` says 'data'). */
export function plannedResources(
  plan: TerraformPlan,
  type: string,
  mode: 'managed' | 'data' = 'managed',
): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type && r.mode === mode);
}
