/** Base class of the local pipeline's errors. */
export class PipelineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/** A command line that cannot be run: unknown flag, bad value, unreadable input. Exit code 2. */
export class UsageError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** An input file that is neither NDJSON events nor the JSON of `aws kinesis put-records --records`. */
export class InputFileError extends UsageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputFileError';
  }
}

/** The dev environment's Terraform cannot be read into a local topology. */
export class TopologyError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TopologyError';
  }
}

/** A consumer's function could not be started or answered in a way Lambda would not. */
export class FunctionHostError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunctionHostError';
  }
}
