import { formatIssues } from './formatIssues';
import type { SchemaIssue } from './types';

/**
 * Base class of every error thrown by `@shardline/schema`. Validation itself never throws: it returns
 * issues; these errors are for misuse (bad options, a schema that does not compile) and for callers that
 * choose to throw on invalid events.
 */
export class SchemaError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaError';
  }
}

/** A value failed an {@link EventSchema}; carries the issues found. */
export class SchemaValidationError extends SchemaError {
  public readonly schemaName: string;
  public readonly issues: readonly SchemaIssue[];

  public constructor(schemaName: string, issues: readonly SchemaIssue[], options?: { cause?: unknown }) {
    super(`value does not match schema ${schemaName}: ${formatIssues(issues)}`, options);
    this.name = 'SchemaValidationError';
    this.schemaName = schemaName;
    this.issues = issues;
  }
}

/** A JSON Schema given to {@link createJsonSchemaEventSchema} could not be compiled. */
export class SchemaCompileError extends SchemaError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaCompileError';
  }
}

/** Options of the fixture generator are out of range or of the wrong type. */
export class FixtureOptionsError extends SchemaError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FixtureOptionsError';
  }
}
