/**
 * Base class of every error thrown by `@shardline/schema`. Validation itself never throws: it returns
 * issues (see `formatIssues`); these errors are for misuse (bad options, a schema that does not compile).
 */
export class SchemaError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaError';
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
