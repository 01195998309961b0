import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findReferences, loadTerraformConfig, type TerraformConfig } from './terraformConfig';

// What `tofu validate` would check without the provider schema: references resolve, module calls pass
// exactly the inputs their module declares, and the module conventions hold.
const ROOT = resolve(__dirname, '..', '..');
const MODULES_DIR = join(ROOT, 'terraform', 'modules');
const moduleNames = readdirSync(MODULES_DIR).sort();
const rootDirs = [
  ...moduleNames.map((m) => join(MODULES_DIR, m)),
  ...moduleNames.flatMap((m) => {
    const examples = join(MODULES_DIR, m, 'examples');
    return existsSync(examples) ? readdirSync(examples).map((e) => join(examples, e)) : [];
  }),
  ...readdirSync(join(ROOT, 'terraform', 'environments')).map((e) => join(ROOT, 'terraform', 'environments', e)),
];

const cache = new Map<string, Promise<TerraformConfig>>();
const load = (dir: string): Promise<TerraformConfig> => {
  if (!cache.has(dir)) cache.set(dir, loadTerraformConfig(dir));
  return cache.get(dir) as Promise<TerraformConfig>;
};
const relative = (dir: string): string => dir.slice(ROOT.length + 1);

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

  it.each(moduleNames)('module %s describes and types every variable and describes every output', async (name) => {
    // Act
    const config = await load(join(MODULES_DIR, name));

    // Assess
    for (const [variable, body] of Object.entries(config.variables)) {
      expect([variable, typeof body.description, typeof body.type]).toEqual([variable, 'string', 'string']);
    }
    for (const [output, body] of Object.entries(config.outputs)) {
      expect([output, typeof body.description]).toEqual([output, 'string']);
    }
  });

  it.each(rootDirs.map(relative))('%s refers only to declared variables and locals', async (dir) => {
    // Act
    const config = await load(join(ROOT, dir));
    const everything = [config.locals, config.modules, config.resources, config.data, config.outputs];
    const variableBodies = Object.values(config.variables);

    // Assess
    const usedVariables = findReferences([...everything, variableBodies], 'var');
    const usedLocals = findReferences([...everything, variableBodies], 'local');
    expect([...usedVariables].filter((v) => !(v in config.variables))).toEqual([]);
    expect([...usedLocals].filter((l) => !(l in config.locals))).toEqual([]);
  });

  it.each(rootDirs.map(relative))('%s calls modules with exactly their inputs and reads only their outputs', async (dir) => {
    // Prepare
    const config = await load(join(ROOT, dir));
    const metaArguments = new Set(['source', 'for_each', 'count', 'depends_on', 'providers', 'version']);

    for (const [call, body] of Object.entries(config.modules)) {
      // Act
      const source = body.source;
      expect(typeof source === 'string' && source.startsWith('.')).toBe(true);
      const callee = await load(resolve(config.dir, source as string));
      const passed = Object.keys(body).filter((k) => !metaArguments.has(k));
      const required = Object.entries(callee.variables)
        .filter(([, v]) => !('default' in v))
        .map(([name]) => name);

      // Assess
      expect({ call, unknown: passed.filter((p) => !(p in callee.variables)) }).toEqual({ call, unknown: [] });
      expect({ call, missing: required.filter((r) => !passed.includes(r)) }).toEqual({ call, missing: [] });

      const everything = [config.locals, config.modules, config.resources, config.data, config.outputs];
      const readOutputs = [...findReferences(everything, 'module')]
        .filter((ref) => ref.startsWith(`${call}.`))
        .map((ref) => ref.slice(call.length + 1));
      expect({ call, unknown: readOutputs.filter((o) => !(o in callee.outputs)) }).toEqual({ call, unknown: [] });
    }
  });

  it.each(rootDirs.map(relative))('%s pins the AWS provider and the Terraform version', async (dir) => {
    // Act
    const config = await load(join(ROOT, dir));
    const terraform = config.terraform[0] ?? {};
    const providers = (terraform.required_providers as Record<string, { source: string; version: string }>[])?.[0];

    // Assess
    expect(typeof terraform.required_version).toBe('string');
    expect(providers?.aws?.source).toBe('hashicorp/aws');
    expect(providers?.aws?.version).toMatch(/6\./);
  });
});
