import type { ServiceName } from './types';

/** Base class of every error the local stack throws. */
export class LocalStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}

/** A service did not become ready; `recentOutput` holds its last lines of output, if any. */
export class ServiceStartError extends LocalStackError {
  readonly service: ServiceName;
  readonly recentOutput: readonly string[];

  constructor(
    service: ServiceName,
    reason: string,
    recentOutput: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    const tail =
      recentOutput.length > 0 ? `\n--- last output of ${service} ---\n${recentOutput.join('\n')}` : '';
    super(`${service} did not start: ${reason}${tail}`, options);
    this.name = 'ServiceStartError';
    this.service = service;
    this.recentOutput = recentOutput;
  }
}

/** A prerequisite (Java, Maven, unzip, a downloaded server) is missing or could not be fetched. */
export class ArtefactError extends LocalStackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtefactError';
  }
}

/** The shared stack's state file is unreadable or malformed. */
export class LocalStackStateError extends LocalStackError {
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`local stack state file ${file}: ${reason}`, options);
    this.name = 'LocalStackStateError';
    this.file = file;
  }
}
