/**
 * The closed error catalogue. Every failure a user can see is one of these codes;
 * HTTP statuses and CLI exit codes are derived from the code, never chosen ad hoc.
 */
export const errorCatalogue = {
  bad_request: { status: 400, exit: 2 },
  validation_failed: { status: 400, exit: 2 },
  unauthenticated: { status: 401, exit: 3 },
  forbidden: { status: 403, exit: 3 },
  not_found: { status: 404, exit: 4 },
  conflict: { status: 409, exit: 5 },
  payload_too_large: { status: 413, exit: 2 },
  rate_limited: { status: 429, exit: 6 },
  data_locked: { status: 503, exit: 7 },
  database_unavailable: { status: 503, exit: 7 },
  config_invalid: { status: 500, exit: 8 },
  migration_failed: { status: 500, exit: 9 },
  internal: { status: 500, exit: 1 },
} as const satisfies Record<string, { status: number; exit: number }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  get exitCode(): number {
    return errorCatalogue[this.code].exit;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Turns anything thrown into an AppError without leaking internals (stack, SQL) into the message. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError('internal', 'An unexpected error occurred. It has been logged.');
}
