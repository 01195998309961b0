/** Base class of every error raised by the OpenSearch indexer. */
export class IndexerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IndexerError';
  }
}

/** A bulk request failed as a whole (no per-item results). */
export class BulkRequestError extends IndexerError {
  /** HTTP status when the server answered, `undefined` for connection errors and timeouts. */
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BulkRequestError';
    this.status = status;
  }
}

/** The domain endpoint could not be resolved from the domain name. */
export class EndpointResolutionError extends IndexerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EndpointResolutionError';
  }
}

/** The index template could not be read or installed. */
export class TemplateInstallError extends IndexerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateInstallError';
  }
}
