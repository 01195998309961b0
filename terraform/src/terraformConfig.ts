import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktn/hcl2json';

/** A JSON value as the HCL parser renders it; expressions appear as "${...}" strings. */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** One HCL block body (attributes and nested blocks). */
export type HclBody = Record<string, HclValue>;

/** Blocks of one Terraform module directory, merged across its *.tf files. */
export interface TerraformConfig {
  /** Directory the files were read from. */
  readonly dir: string;
  /** Names of the *.tf files read. */
  readonly files: readonly string[];
  /** `variable` blocks by name. */
  readonly variables: Record<string, HclBody>;
  /** `output` blocks by name. */
  readonly outputs: Record<string, HclBody>;
  /** `locals` entries, merged. */
  readonly locals: Record<string, HclValue>;
  /** `module` blocks by name. */
  readonly modules: Record<string, HclBody>;
  /** `resource` blocks by type, then name. */
  readonly resources: Record<string, Record<string, HclBody>>;
  /** `data` blocks by type, then name. */
  readonly data: Record<string, Record<string, HclBody>>;
  /** `terraform` blocks. */
  readonly terraform: HclBody[];
}

/** Raised when a Terraform directory cannot be read or parsed. */
export class TerraformConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerraformConfigError';
  }
}

type Parsed = Record<string, Record<string, unknown> | unknown[]>;

function single(blocks: unknown): HclBody {
  // The parser renders each labelled block as a list of bodies; one label appears once.
  return (Array.isArray(blocks) ? blocks[0] : blocks) as HclBody;
}

/**
 * Reads every *.tf file of `dir` with the HCL parser of `@cdktn/hcl2json` (HashiCorp's HCL library, built to WebAssembly) and merges the blocks.
 *
 * @example
 * ```ts
 * const config = await loadTerraformConfig('terraform/modules/queue');
 * console.log(Object.keys(config.variables));
 * ```
 */
export async function loadTerraformConfig(dir: string): Promise<TerraformConfig> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  if (files.length === 0) throw new TerraformConfigError(`${dir} holds no .tf file`);
  const config: TerraformConfig = {
    dir,
    files,
    variables: {},
    outputs: {},
    locals: {},
    modules: {},
    resources: {},
    data: {},
    terraform: [],
  };
  for (const file of files) {
    let parsed: Parsed;
    try {
      parsed = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Parsed;
    } catch (error) {
      throw new TerraformConfigError(`cannot parse ${join(dir, file)}`, { cause: error });
    }
    for (const [name, body] of Object.entries((parsed.variable ?? {}) as Record<string, unknown>)) {
      config.variables[name] = single(body);
    }
    for (const [name, body] of Object.entries((parsed.output ?? {}) as Record<string, unknown>)) {
      config.outputs[name] = single(body);
    }
    for (const [name, body] of Object.entries((parsed.module ?? {}) as Record<string, unknown>)) {
      config.modules[name] = single(body);
    }
    for (const block of (parsed.locals ?? []) as HclBody[]) Object.assign(config.locals, block);
    for (const [kind, target] of [
      ['resource', config.resources],
      ['data', config.data],
    ] as const) {
      for (const [type, byName] of Object.entries((parsed[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
        target[type] ??= {};
        for (const [name, body] of Object.entries(byName)) target[type][name] = single(body);
      }
    }
    config.terraform.push(...((parsed.terraform ?? []) as HclBody[]));
  }
  return config;
}
