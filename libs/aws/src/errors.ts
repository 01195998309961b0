/** Base class of every error raised by `@shardline/aws`. */
export class AwsHelperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AwsHelperError';
  }
}

/** One environment variable that is missing or malformed. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/**
 * Raised at cold start when the function's environment is incomplete or malformed.
 * The message names every offending variable, so a bad deploy is diagnosed from one log line.
 */
export class ConfigError extends AwsHelperError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
