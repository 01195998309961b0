import { FixtureOptionsError, SchemaCompileError, SchemaError } from './errors';

describe('errors', () => {
  it('names each error and keeps its cause', () => {
    // Prepare
    const cause = new Error('root');

    // Act
    const errors = [
      new SchemaError('base', { cause }),
      new SchemaCompileError('compile', { cause }),
      new FixtureOptionsError('options', { cause }),
    ];

    // Assess
    expect(errors.map((e) => e.name)).toEqual(['SchemaError', 'SchemaCompileError', 'FixtureOptionsError']);
    for (const error of errors) {
      expect(error).toBeInstanceOf(SchemaError);
      expect(error.cause).toBe(cause);
    }
  });
});
