/**
 * Deploys what changed to one environment, through Terraform.
 *
 *   tsx tools/deploy/deploy.ts <env> [--base=<ref>] [--head=<ref>] [--plan] [--dry-run]
 *                                    [--terraform=<bin>] [--apps=a,b]
 *
 * 1. `nx show projects --affected` (against --base, default origin/main or main) names the changed apps;
 *    `git diff` says whether terraform/ itself or the pipeline contract (libs/contract/pipeline.json) changed.
 * 2. `nx run <app>:package` builds and zips each changed app (reproducible zips: an unchanged app keeps its hash).
 * 3. In terraform/environments/<env>: `init`, then per changed app `apply -target=<its function module>`
 *    (`module.pipeline.module.consumer["<app>"]` for a consumer, the module of its trigger for an ingest function;
 *    `plan` with --plan). When terraform/ changed, one untargeted apply covers everything instead.
 * --dry-run prints the commands without running them; --apps replaces the affected computation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contract, functionNames, INGEST_TRIGGERS, isConsumer, type IngestName } from '@shardline/contract';

/** The pipeline contract, which Terraform reads: a change to it is a change to the infrastructure. */
const CONTRACT_FILE = 'libs/contract/pipeline.json';

/** One command of a deploy, run from `cwd` (relative to the workspace root). */
export interface DeployStep {
  readonly description: string;
  readonly cwd: string;
  readonly command: readonly string[];
}

/** Input of {@link planDeploy}. */
export interface DeployRequest {
  readonly environment: string;
  /** Projects `nx show projects --affected` printed. */
  readonly affectedProjects: readonly string[];
  /** Whether files under terraform/ or the pipeline contract changed (a full apply is then needed). */
  readonly infrastructureChanged: boolean;
  /** plan instead of apply. */
  readonly planOnly: boolean;
  /** Terraform-compatible binary (terraform or tofu). */
  readonly terraform: string;
  /** Whether terraform/environments/<env>/backend.hcl exists and should be passed to init. */
  readonly hasBackendConfig: boolean;
}

/** What {@link planDeploy} decided. */
export interface DeployPlan {
  readonly apps: readonly string[];
  readonly steps: readonly DeployStep[];
  readonly summary: string;
}

/** Raised for a request that cannot be deployed. */
export class DeployError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
  }
}

/**
 * The pipeline module's module of the functions of each ingest trigger (terraform/modules/pipeline); a trigger
 * added to the contract's schema without its module here is a type error.
 */
const INGEST_MODULES: Readonly<Record<(typeof INGEST_TRIGGERS)[number], string>> = {
  'http-api': 'http_ingest',
  's3-inbox': 's3_inbox',
};

/** Terraform address of an app's function module in every environment root. */
export function functionModuleAddress(app: string): string {
  if (isConsumer(app)) return `module.pipeline.module.consumer["${app}"]`;
  const trigger = (contract.ingest as Record<IngestName, { trigger: string }>)[app as IngestName]?.trigger;
  const module = trigger === undefined ? undefined : INGEST_MODULES[trigger as keyof typeof INGEST_MODULES];
  if (module === undefined) {
    throw new DeployError(
      trigger === undefined
        ? `"${app}" is not a function of the pipeline contract`
        : `no Terraform module deploys ingest trigger "${trigger}" (of "${app}")`,
    );
  }
  return `module.pipeline.module.${module}["${app}"]`;
}

/**
 * Decides which apps to package and which Terraform commands to run. Pure: no I/O.
 *
 * @example
 * ```ts
 * const plan = planDeploy({ environment: 'dev', affectedProjects: ['enrichment', 'terraform'],
 *   infrastructureChanged: false, planOnly: false, terraform: 'terraform', hasBackendConfig: true });
 * ```
 */
export function planDeploy(request: DeployRequest): DeployPlan {
  if (!/^[a-z][a-z0-9]*$/.test(request.environment)) {
    throw new DeployError(`invalid environment "${request.environment}"`);
  }
  // The functions of the pipeline contract (consumers and ingest functions) are the apps that become Lambdas.
  const apps = functionNames.filter((app) => request.affectedProjects.includes(app));
  const cwd = join('terraform', 'environments', request.environment);
  const verb = request.planOnly ? 'plan' : 'apply';
  const tfArgs = request.planOnly ? ['-input=false'] : ['-input=false', '-auto-approve'];
  const steps: DeployStep[] = [];

  if (apps.length === 0 && !request.infrastructureChanged) {
    return {
      apps,
      steps,
      summary: `nothing to deploy to ${request.environment}: no app and no Terraform changed`,
    };
  }

  // Terraform reads every function's zip (filebase64sha256), so all packages must exist; only the affected
  // ones are rebuilt, the others come from the Nx cache unchanged.
  steps.push({
    description: 'package every app (affected ones are rebuilt, the rest come from the Nx cache)',
    cwd: '.',
    command: ['npx', 'nx', 'run-many', '-t', 'package'],
  });
  steps.push({
    description: `initialise terraform/environments/${request.environment}`,
    cwd,
    command: [
      request.terraform,
      'init',
      '-input=false',
      ...(request.hasBackendConfig ? ['-backend-config=backend.hcl'] : []),
    ],
  });

  if (request.infrastructureChanged) {
    steps.push({
      description: `${verb} the whole environment (Terraform changed)`,
      cwd,
      command: [request.terraform, verb, ...tfArgs],
    });
  } else {
    for (const app of apps) {
      steps.push({
        description: `${verb} ${app}`,
        cwd,
        command: [request.terraform, verb, ...tfArgs, `-target=${functionModuleAddress(app)}`],
      });
    }
  }

  const what = request.infrastructureChanged ? 'the whole environment' : apps.join(', ');
  return { apps, steps, summary: `${verb} ${what} in ${request.environment}` };
}

interface CliOptions {
  environment: string;
  base: string | undefined;
  head: string | undefined;
  planOnly: boolean;
  dryRun: boolean;
  terraform: string;
  apps: string[] | undefined;
}

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    environment: '',
    base: undefined,
    head: undefined,
    planOnly: false,
    dryRun: false,
    terraform: process.env.TERRAFORM_BIN ?? 'terraform',
    apps: undefined,
  };
  for (const arg of argv) {
    const [flag, value] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--plan') options.planOnly = true;
    else if (flag === '--base' && value) options.base = value;
    else if (flag === '--head' && value) options.head = value;
    else if (flag === '--terraform' && value) options.terraform = value;
    else if (flag === '--apps' && value !== undefined) options.apps = value.split(',').filter(Boolean);
    else if (!arg.startsWith('--') && options.environment === '') options.environment = arg;
    else throw new DeployError(`unknown argument "${arg}"`);
  }
  if (options.environment === '') throw new DeployError('an environment is required, e.g. dev');
  return options;
}

function defaultBase(root: string): string {
  const probe = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'origin/main'], { cwd: root });
  return probe.status === 0 ? 'origin/main' : 'main';
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function main(argv: readonly string[]): void {
  const root = resolve(__dirname, '..', '..');
  const options = parseArgs(argv);
  const envDir = join(root, 'terraform', 'environments', options.environment);
  if (!existsSync(envDir))
    throw new DeployError(`no environment at terraform/environments/${options.environment}`);

  const base = options.base ?? defaultBase(root);
  const range = options.head ? [`--base=${base}`, `--head=${options.head}`] : [`--base=${base}`];
  let affected: string[];
  if (options.apps) {
    affected = options.apps;
    console.log(`deploy: apps given: ${affected.join(', ') || '(none)'}`);
  } else {
    const out = execFileSync('npx', ['nx', 'show', 'projects', '--affected', ...range, '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    affected = JSON.parse(out) as string[];
    console.log(`deploy: nx affected (${range.join(' ')}): ${affected.join(', ') || '(none)'}`);
  }
  const diff = execFileSync(
    'git',
    [
      'diff',
      '--name-only',
      options.head ? `${base}...${options.head}` : base,
      '--',
      'terraform/',
      CONTRACT_FILE,
    ],
    { cwd: root, encoding: 'utf8' },
  ).trim();
  // Tests and docs of the Terraform project do not change what is deployed.
  const infrastructureChanged = diff
    .split('\n')
    .some(
      (f) =>
        f === CONTRACT_FILE ||
        f.endsWith('.tf') ||
        f.endsWith('.tfvars') ||
        f.endsWith('.tfvars.json') ||
        f.endsWith('.terraform.lock.hcl'),
    );

  const plan = planDeploy({
    environment: options.environment,
    affectedProjects: affected,
    infrastructureChanged,
    planOnly: options.planOnly,
    terraform: options.terraform,
    hasBackendConfig: existsSync(join(envDir, 'backend.hcl')),
  });

  for (const step of plan.steps) {
    const printed = `(cd ${step.cwd} && ${step.command.map(shellQuote).join(' ')})`;
    console.log(`deploy: ${step.description}\n  ${printed}`);
    if (options.dryRun) continue;
    const [bin, ...args] = step.command as [string, ...string[]];
    const result = spawnSync(bin, args, { cwd: join(root, step.cwd), stdio: 'inherit' });
    if (result.status !== 0)
      throw new DeployError(`"${step.description}" failed with exit code ${result.status}`);
  }
  console.log(`deploy: ${options.dryRun ? 'would ' : ''}${plan.summary}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`deploy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
