/** Base class of every error the asynchronous invocation emulator raises. */
export class AsyncInvokeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AsyncInvokeError';
  }
}

/** An invoke config setting is unknown, missing or out of the range AWS accepts. */
export class InvalidInvokeConfigError extends AsyncInvokeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidInvokeConfigError';
  }
}

/** A bucket notification configuration AWS would refuse (overlapping rules, unknown event types...). */
export class InvalidNotificationConfigError extends AsyncInvokeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidNotificationConfigError';
  }
}

/** The invoker was used in a state that does not allow it (invoked after stop). */
export class InvokerStateError extends AsyncInvokeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvokerStateError';
  }
}

/** `drain()` did not see the queue empty within its time limit. */
export class DrainTimeoutError extends AsyncInvokeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DrainTimeoutError';
  }
}
