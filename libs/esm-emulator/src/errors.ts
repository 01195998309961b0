/** Base class of every error the event source mapping emulator raises. */
export class EsmEmulatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EsmEmulatorError';
  }
}

/** A mapping setting is unknown, missing or out of the range AWS accepts. */
export class InvalidSettingsError extends EsmEmulatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidSettingsError';
  }
}

/** The mapping was used in a state that does not allow it (started twice, drained before start...). */
export class MappingStateError extends EsmEmulatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MappingStateError';
  }
}

/** `drain()` did not see the mapping caught up within its time limit. */
export class DrainTimeoutError extends EsmEmulatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DrainTimeoutError';
  }
}

/** The handler ran past the function timeout; Lambda reports this as a function error. */
export class FunctionTimeoutError extends EsmEmulatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunctionTimeoutError';
  }
}

/** The handler answered something Lambda treats as a failure of the whole batch. */
export class InvalidFunctionResponseError extends EsmEmulatorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidFunctionResponseError';
  }
}
