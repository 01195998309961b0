import { FixtureOptionsError, SchemaCompileError, SchemaError, SchemaValidationError } from './errors';

describe('errors', () => {
  it('names each error and keeps its cause', () => {
    // Prepare
    const cause = new Error('root');

    // Act
    const errors = [
      new SchemaError('base', { cause }),
      new SchemaCompileError('compile', { cause }),
      new FixtureOptionsError('options', { cause }),
      new SchemaValidationError('ad-event', [{ path: '/id', message: 'is required' }], { cause }),
    ];

    // Assess
    expect(errors.map((e) => e.name)).toEqual([
      'SchemaError',
      'SchemaCompileError',
      'FixtureOptionsError',
      'SchemaValidationError',
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(SchemaError);
      expect(error.cause).toBe(cause);
    }
  });

  it('carries the issues of a failed validation and states them in its message', () => {
    // Act
    const error = new SchemaValidationError('ad-event', [{ path: '/data/userId', message: 'is required' }]);

    // Assess
    expect(error.schemaName).toBe('ad-event');
    expect(error.issues).toEqual([{ path: '/data/userId', message: 'is required' }]);
    expect(error.message).toBe('value does not match schema ad-event: /data/userId is required');
  });
});
