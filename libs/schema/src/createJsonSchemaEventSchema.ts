import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { MAX_ISSUES } from './constants';
import { describeValue, pointerSegment } from './describeValue';
import { SchemaCompileError } from './errors';
import { isIpAddress, isIpv4Address, isIpv6Address } from './isIpAddress';
import { isRfc3339DateTime } from './isRfc3339DateTime';
import type { EventSchema, SchemaIssue, ValidationResult } from './types';

/** A string format checker, e.g. `(s) => /^\d+$/.test(s)`. */
export type FormatCheck = (value: string) => boolean;

/** Options of {@link createJsonSchemaEventSchema}. */
export interface JsonSchemaEventSchemaOptions {
  /** Name reported by the resulting {@link EventSchema}. */
  name: string;
  /** A JSON Schema object; `$schema` draft-07 and 2019-09/2020-12 keywords that ajv's default build knows. */
  schema: Record<string, unknown>;
  /** Extra or replacement string formats; `date-time`, `ip`, `ipv4` and `ipv6` are built in. */
  formats?: Record<string, FormatCheck>;
}

const FORMAT_TEXT: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time like 2024-05-01T12:00:00Z',
  ip: 'an IPv4 or IPv6 address',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
};

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Finds the value an ajv error points at, to show what was found. */
function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current = root;
  for (const segment of pointer.slice(1).split('/')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[unescapeSegment(segment)];
  }
  return current;
}

function typeName(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function toIssue(error: ErrorObject, root: unknown): SchemaIssue | undefined {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const found = (): string => describeValue(valueAt(root, path));
  switch (error.keyword) {
    case 'required':
      return { path: `${path}/${pointerSegment(String(params['missingProperty']))}`, message: 'is required' };
    case 'additionalProperties':
      return {
        path: `${path}/${pointerSegment(String(params['additionalProperty']))}`,
        message: path === '/data' ? 'is not an allowed data field' : 'is not an allowed property',
      };
    case 'propertyNames':
      return {
        path: `${path}/${pointerSegment(String(params['propertyName']))}`,
        message: 'is not an allowed property name',
      };
    case 'if':
      // The failing `then` branch is reported on its own.
      return undefined;
    case 'type': {
      const types = Array.isArray(params['type']) ? (params['type'] as string[]) : [String(params['type'])];
      return { path, message: `must be ${types.map(typeName).join(' or ')} (got ${found()})` };
    }
    case 'minLength':
    case 'maxLength':
      return {
        path,
        message: `must have ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${String(params['limit'])} characters (got ${(valueAt(root, path) as string).length})`,
      };
    case 'pattern':
      return { path, message: `must match ${String(params['pattern'])} (got ${found()})` };
    case 'format': {
      const format = String(params['format']);
      return { path, message: `must be ${FORMAT_TEXT[format] ?? `in format ${format}`} (got ${found()})` };
    }
    case 'const':
      return { path, message: `must be ${describeValue(params['allowedValue'])} (got ${found()})` };
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(describeValue).join(', ');
      return { path, message: `must be one of ${allowed} (got ${found()})` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        path,
        message: `must be ${String(params['comparison'])} ${String(params['limit'])} (got ${found()})`,
      };
    default:
      return { path, message: `${error.message ?? `fails ${error.keyword}`} (got ${found()})` };
  }
}

/**
 * Builds an {@link EventSchema} from a JSON Schema with ajv, compiled once here, with the same issue format
 * as the built-in validator. This is the shortest way to replace the ad event contract with one's own.
 *
 * @throws {SchemaCompileError} when ajv rejects the schema.
 * @example
 * ```ts
 * const orderSchema = createJsonSchemaEventSchema<{ orderId: string }>({
 *   name: 'order',
 *   schema: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' } } },
 * });
 * orderSchema.validate({}); // { ok: false, issues: [{ path: '/orderId', message: 'is required' }] }
 * ```
 */
export function createJsonSchemaEventSchema<T>(options: JsonSchemaEventSchemaOptions): EventSchema<T> {
  // strictRequired is off: an `if`/`then` branch requires properties declared beside it, which is correct.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    useDefaults: false,
  });
  const formats: Record<string, FormatCheck> = {
    'date-time': isRfc3339DateTime,
    ip: isIpAddress,
    ipv4: isIpv4Address,
    ipv6: isIpv6Address,
    ...options.formats,
  };
  for (const [name, check] of Object.entries(formats))
    ajv.addFormat(name, { type: 'string', validate: check });
  let validateFn: ValidateFunction<T>;
  try {
    validateFn = ajv.compile<T>(options.schema);
  } catch (error) {
    throw new SchemaCompileError(
      `JSON Schema for ${options.name} does not compile: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return {
    name: options.name,
    validate(value: unknown): ValidationResult<T> {
      if (validateFn(value)) return { ok: true, value };
      const issues: SchemaIssue[] = [];
      for (const error of validateFn.errors ?? []) {
        // Errors from inside `propertyNames` repeat the name check at the object's own path.
        if ((error as { propertyName?: string }).propertyName !== undefined) continue;
        const issue = toIssue(error, value);
        if (issue !== undefined) issues.push(issue);
        if (issues.length >= MAX_ISSUES) break;
      }
      return { ok: false, issues };
    },
  };
}
