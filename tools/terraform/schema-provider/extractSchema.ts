/**
 * Rebuilds the AWS provider's schema, in the format of `terraform providers schema -json`, from the provider
 * bindings published on the npm registry (`@cdktn/provider-aws`, generated from the provider's own schema).
 *
 * The generator writes, for every attribute of every resource, data source and nested block, a comment
 * `// <name> - computed: <bool>, optional: <bool>, required: <bool>` followed by a getter whose body names the
 * attribute's type (`getStringAttribute('arn')`, `new FooList(this, "foo", wrapsSet)`, ...), and for every
 * argument an HCL entry `{ value, isBlock, type, storageClassType }`. Together they give each attribute's name,
 * type and flags, and each block's nesting. What the bindings do not carry: `min_items`/`max_items` beyond
 * "required" and "one" (taken from whether the value is mapped as a list), deprecation, sensitivity and
 * descriptions.
 *
 * Usage: `tsx extractSchema.ts <unpacked package dir> <out.json>`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A cty type in its JSON form: `"string"`, `["list", "string"]`, `["object", {...}]`. */
export type CtyType = string | [string, CtyType] | ['object', Record<string, CtyType>];

/** An attribute of a block, as `terraform providers schema -json` writes it. */
export interface SchemaAttribute {
  type: CtyType;
  required?: true;
  optional?: true;
  computed?: true;
}

/** A nested block type. */
export interface SchemaBlockType {
  nesting_mode: 'single' | 'list' | 'set';
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

/** A block: attributes and nested blocks. */
export interface SchemaBlock {
  attributes: Record<string, SchemaAttribute>;
  block_types: Record<string, SchemaBlockType>;
}

/** The whole provider schema, keyed like `terraform providers schema -json`. */
export interface ProviderSchemas {
  format_version: '1.0';
  provider_schemas: Record<
    string,
    {
      provider: { version: 0; block: SchemaBlock };
      resource_schemas: Record<string, { version: 0; block: SchemaBlock }>;
      data_source_schemas: Record<string, { version: 0; block: SchemaBlock }>;
    }
  >;
}

interface HclEntry {
  isBlock: boolean;
  type: string; // simple | list | set | map | struct
  storage: string; // string, stringList, ..., or a struct name (+List / +Map)
  value: string; // the mapping expression, which tells a repeated block from a single one
}

interface ClassAttribute {
  name: string;
  computed: boolean;
  optional: boolean;
  required: boolean;
  body: string; // the text from the comment to the next attribute: getter and field
}

interface ParsedFile {
  classes: Map<string, { base: string; body: string }>;
  hclFunctions: Map<string, Map<string, HclEntry>>; // struct name -> its HCL entries
}

const hclEntryPattern =
  /"?(\w+)"?: \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g;
const attributeCommentPattern = /^ {4}\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)$/gm;

/** The groups of a match whose groups all took part (the patterns here have no optional group). */
function groups(m: RegExpMatchArray): string[] {
  return m.slice(1).map((g) => g ?? '');
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function parseHclEntries(text: string): Map<string, HclEntry> {
  const entries = new Map<string, HclEntry>();
  for (const m of text.matchAll(hclEntryPattern)) {
    const [name = '', value = '', isBlock, type = '', storage = ''] = groups(m);
    entries.set(name, { value, isBlock: isBlock === 'true', type, storage });
  }
  return entries;
}

function parseFile(js: string): ParsedFile {
  const classes = new Map<string, { base: string; body: string }>();
  for (const m of js.matchAll(/^class (\w+) extends ([\w.]+) \{\n([\s\S]*?)^\}$/gm)) {
    const [name = '', base = '', body = ''] = groups(m);
    classes.set(name, { base, body });
  }
  const hclFunctions = new Map<string, Map<string, HclEntry>>();
  for (const m of js.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{\n([\s\S]*?)^\}$/gm)) {
    const [name = '', body = ''] = groups(m);
    hclFunctions.set(upperFirst(name), parseHclEntries(body));
  }
  return { classes, hclFunctions };
}

function classAttributes(body: string): ClassAttribute[] {
  const matches = [...body.matchAll(attributeCommentPattern)];
  return matches.map((m, i) => {
    const [name = '', computed, optional, required] = groups(m);
    return {
      name,
      computed: computed === 'true',
      optional: optional === 'true',
      required: required === 'true',
      body: body.slice(m.index, matches[i + 1]?.index ?? body.length),
    };
  });
}

const primitiveStorage: Record<string, CtyType> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  any: 'dynamic',
  stringList: ['list', 'string'],
  numberList: ['list', 'number'],
  booleanList: ['list', 'bool'],
  stringMap: ['map', 'string'],
  numberMap: ['map', 'number'],
  booleanMap: ['map', 'bool'],
  stringMapMap: ['map', ['map', 'string']],
  stringListList: ['list', ['list', 'string']],
  stringMapList: ['list', ['map', 'string']],
  stringListMap: ['map', ['list', 'string']],
};

const getterTypes: Record<string, CtyType> = {
  getStringAttribute: 'string',
  getNumberAttribute: 'number',
  getBooleanAttribute: 'bool',
  getListAttribute: ['list', 'string'],
  getNumberListAttribute: ['list', 'number'],
  getStringMapAttribute: ['map', 'string'],
  getNumberMapAttribute: ['map', 'number'],
  getBooleanMapAttribute: ['map', 'bool'],
  getAnyMapAttribute: ['map', 'dynamic'],
  interpolationForAttribute: 'dynamic',
};

const mapFieldTypes: Record<string, CtyType> = {
  StringMap: ['map', 'string'],
  NumberMap: ['map', 'number'],
  BooleanMap: ['map', 'bool'],
  AnyMap: ['map', 'dynamic'],
  StringMapMap: ['map', ['map', 'string']],
  StringListMap: ['map', ['list', 'string']],
};

function withoutDynamic(type: CtyType): CtyType {
  if (type === 'dynamic') return 'string';
  if (typeof type === 'string') return type;
  if (type[0] === 'object') {
    const attrs = type[1] as Record<string, CtyType>;
    return ['object', Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, withoutDynamic(v)]))];
  }
  return [type[0], withoutDynamic(type[1] as CtyType)];
}

class Extractor {
  private readonly open = new Set<string>();

  constructor(
    private readonly file: ParsedFile,
    private readonly where: string,
  ) {}

  /** The object type of a struct's output reference (every attribute, as a computed value exposes them). */
  private objectType(struct: string): CtyType {
    const cls = this.file.classes.get(`${struct}OutputReference`);
    if (!cls) throw new Error(`${this.where}: no class ${struct}OutputReference`);
    const attrs: Record<string, CtyType> = {};
    for (const a of classAttributes(cls.body)) attrs[a.name] = this.getterType(a);
    return ['object', attrs];
  }

  /** The type of an attribute from its getter or its field, for attributes that have no HCL entry. */
  private getterType(a: ClassAttribute): CtyType {
    const field = /_\w+ = new ([\w.]+)\(this, "\w+"(?:, (true|false))?\)/.exec(a.body);
    if (field) {
      // Large modules split their structs into sibling files (`index_1.FooList`).
      const [constructor = '', wrapsSet] = groups(field);
      const ctor = constructor.replace(/^\w+\./, '');
      const map = mapFieldTypes[ctor];
      if (map) return map;
      if (ctor.endsWith('OutputReference')) return this.objectType(ctor.slice(0, -'OutputReference'.length));
      if (ctor.endsWith('List')) return [wrapsSet === 'true' ? 'set' : 'list', this.objectType(ctor.slice(0, -4))];
      if (ctor.endsWith('Map')) return ['map', this.objectType(ctor.slice(0, -3))];
      throw new Error(`${this.where}: ${a.name}: unknown field type ${constructor}`);
    }
    const getter = /get \w+\(\) \{\s*return (?:cdktn\.Token\.as\w+\()?(cdktn\.Fn\.tolist\()?this\.(\w+)\(/.exec(a.body);
    const [tolist, method = ''] = getter ? groups(getter) : [];
    const type = getterTypes[method];
    if (!type) throw new Error(`${this.where}: ${a.name}: no typed getter`);
    // Sets are exposed as lists through tolist().
    return tolist && Array.isArray(type) && type[0] === 'list' ? ['set', type[1] as CtyType] : type;
  }

  private entryType(name: string, e: HclEntry): CtyType {
    const primitive = primitiveStorage[e.storage];
    if (primitive) {
      if (Array.isArray(primitive) && primitive[0] === 'list' && e.type === 'set') return ['set', primitive[1]];
      return primitive;
    }
    const struct = e.storage.replace(/(List|Map)$/, '');
    const object = this.objectType(struct);
    if (e.type === 'struct' || e.type === 'simple') return object;
    if (e.type === 'list' || e.type === 'set' || e.type === 'map') return [e.type, object];
    throw new Error(`${this.where}: ${name}: unknown HCL type ${e.type}`);
  }

  /** The block schema of a class whose arguments are the given HCL entries. */
  block(
    className: string,
    entries: Map<string, HclEntry>,
    skip: ReadonlySet<string> = new Set(),
    inSet = false,
  ): SchemaBlock {
    const cls = this.file.classes.get(className);
    const block: SchemaBlock = { attributes: {}, block_types: {} };
    // The provider's nested blocks are configuration only: no output reference, every argument optional.
    const attributes = cls
      ? classAttributes(cls.body)
      : [...entries.keys()].map((name) => ({ name, computed: false, optional: true, required: false, body: '' }));
    if (!cls && entries.size === 0) throw new Error(`${this.where}: no class ${className}`);
    for (const a of attributes) {
      if (skip.has(a.name)) continue;
      const e = entries.get(a.name);
      if (e?.isBlock) {
        const struct = /(\w+)ToHclTerraform/.exec(e.value)?.[1];
        if (!struct) throw new Error(`${this.where}: ${a.name}: block without a mapper`);
        const name = upperFirst(struct);
        // A few schemas (wafv2 statements) nest a block in itself through the bindings' shared struct
        // names: the repeated level is left empty (arguments there would be refused; Shardline has none).
        const nestedClass = `${name}OutputReference`;
        if (this.open.has(nestedClass)) {
          block.block_types[a.name] = { nesting_mode: 'list', block: { attributes: {}, block_types: {} } };
          continue;
        }
        this.open.add(nestedClass);
        const nested = this.block(
          nestedClass,
          this.file.hclFunctions.get(name) ?? new Map(),
          new Set(),
          inSet || e.type === 'set',
        );
        this.open.delete(nestedClass);
        const repeated = e.value.startsWith('cdktn.listMapperHcl(');
        const type: SchemaBlockType = {
          nesting_mode: e.type === 'struct' ? 'single' : e.type === 'set' ? 'set' : 'list',
          block: nested,
        };
        if (e.type !== 'struct') {
          if (a.required) type.min_items = 1;
          if (!repeated) type.max_items = 1;
        }
        block.block_types[a.name] = type;
        continue;
      }
      const type = e ? this.entryType(a.name, e) : this.getterType(a);
      // OpenTofu refuses a dynamic attribute inside a set of blocks; the bindings have two (wafv2 rule
      // statements), typed here as JSON strings.
      const attr: SchemaAttribute = { type: inSet ? withoutDynamic(type) : type };
      if (a.required) attr.required = true;
      if (a.optional) attr.optional = true;
      if (a.computed || !e) attr.computed = true;
      block.attributes[a.name] = attr;
    }
    return block;
  }

  /** The resource or data source class of the file and its Terraform type name. */
  entity(): { kind: 'resource' | 'data' | 'provider'; type: string; block: SchemaBlock } | undefined {
    for (const [name, cls] of this.file.classes) {
      const kind =
        cls.base === 'cdktn.TerraformResource'
          ? 'resource'
          : cls.base === 'cdktn.TerraformDataSource'
            ? 'data'
            : cls.base === 'cdktn.TerraformProvider'
              ? 'provider'
              : undefined;
      if (!kind) continue;
      const type = /static tfResourceType = "(\w+)";/.exec(cls.body)?.[1];
      if (!type) throw new Error(`${this.where}: ${name} has no tfResourceType`);
      const hcl = /synthesizeHclAttributes\(\) \{\n([\s\S]*?)\n {4}\}\n/.exec(cls.body)?.[1];
      if (!hcl) throw new Error(`${this.where}: ${name} has no synthesizeHclAttributes`);
      // `alias` is the provider meta-argument, not an argument of the provider's schema.
      const skip = new Set(kind === 'provider' ? ['alias'] : []);
      return { kind, type, block: this.block(name, parseHclEntries(hcl), skip) };
    }
    return undefined;
  }
}

/** Reads every module of the unpacked package (its `lib/<module>/index.js`) into one provider schema. */
export function extractSchema(packageDir: string, providerSource: string): ProviderSchemas {
  const lib = join(packageDir, 'lib');
  const schema = {
    provider: { version: 0 as const, block: { attributes: {}, block_types: {} } as SchemaBlock },
    resource_schemas: {} as Record<string, { version: 0; block: SchemaBlock }>,
    data_source_schemas: {} as Record<string, { version: 0; block: SchemaBlock }>,
  };
  for (const dir of readdirSync(lib).sort()) {
    if (!statSync(join(lib, dir)).isDirectory()) continue;
    // A large module spreads its structs over index-structs/*.js: read the module as one text.
    const files = readdirSync(join(lib, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    if (files.length === 0) continue;
    const js = files.map((f) => readFileSync(join(lib, dir, f), 'utf8')).join('\n');
    const entity = new Extractor(parseFile(js), dir).entity();
    if (!entity) continue;
    if (entity.kind === 'provider') schema.provider.block = entity.block;
    else if (entity.kind === 'resource') schema.resource_schemas[entity.type] = { version: 0, block: entity.block };
    else schema.data_source_schemas[entity.type] = { version: 0, block: entity.block };
  }
  if (Object.keys(schema.provider.block.attributes).length === 0) throw new Error(`${lib}: no provider class`);
  return { format_version: '1.0', provider_schemas: { [providerSource]: schema } };
}

if (process.argv[1] && /extractSchema\.[cm]?[jt]s$/.test(process.argv[1])) {
  const [packageDir, out] = process.argv.slice(2);
  if (!packageDir || !out) {
    process.stderr.write('usage: extractSchema.ts <unpacked @cdktn/provider-aws dir> <out.json>\n');
    process.exit(2);
  }
  const schemas = extractSchema(packageDir, 'registry.terraform.io/hashicorp/aws');
  const s = schemas.provider_schemas['registry.terraform.io/hashicorp/aws'];
  if (!s) throw new Error('no provider schema');
  writeFileSync(out, JSON.stringify(schemas));
  process.stdout.write(
    `extractSchema: ${Object.keys(s.resource_schemas).length} resources, ` +
      `${Object.keys(s.data_source_schemas).length} data sources -> ${out}\n`,
  );
}
