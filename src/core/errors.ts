/**
 * Typed domain errors. Every refusal in orglink is one of these, carrying a stable
 * `code`, a human `message`, and the offending `field` when input was at fault.
 * They are mapped to HTTP statuses once (src/api/error-mapping.ts) and to CLI exit
 * codes once (src/cli/exit-codes.ts); nothing else decides those numbers.
 */

/** The kinds of failure, each with one HTTP status and one CLI exit code. */
export type ErrorKind =
  | 'invalid_input' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'upstream' // 502: AWS (or the sandbox) answered with an error we cannot fix here
  | 'internal'; // 500

export interface DomainErrorOptions {
  /** The input field at fault, as a dotted path (`discovery.externalId`). */
  field?: string;
  /** Extra machine-readable facts (e.g. where a clashing handle lives). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** Base class: a refusal with a stable code that clients may branch on. */
export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(kind: ErrorKind, code: string, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
    if (options.details !== undefined) this.details = options.details;
  }

  /** The wire shape used by the API and by `--json` CLI output. */
  toJSON(): { code: string; message: string; field?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Input that breaks a rule (bad handle, malformed ARN, unknown region...). */
export class InputError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('invalid_input', code, message, options);
  }
}

/** No valid credentials were presented. */
export class AuthenticationError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('unauthenticated', code, message, options);
  }
}

/** The caller is known but a rule refuses the action; the code names the rule. */
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('forbidden', code, message, options);
  }
}

/** The object does not exist, or belongs to another tenant (never say which). */
export class NotFoundError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('not_found', code, message, options);
  }
}

/** The action clashes with existing state (a taken handle, a reused External ID). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('conflict', code, message, options);
  }
}

/** AWS refused or failed in a way the user must fix on the AWS side. */
export class UpstreamError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super('upstream', code, message, options);
  }
}

/** True for any orglink domain error. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
