/**
 * The one error type the CLI reports. API errors, unreachable servers, usage mistakes and
 * domain errors raised in-process (serve, demo) all become a CliError before printing,
 * so the output shape and the exit code are decided once.
 */
import { isDomainError } from '../core/errors.js';
import { EXIT, exitCodeForKind, type ExitCode } from './exit-codes.js';

/** The JSON shape of an error, as printed on stderr with --json. */
export interface CliErrorBody {
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
  status?: number;
}

/** A failure with its exit code and the stable body printed to the user. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;
  readonly status?: number;

  constructor(exitCode: ExitCode, body: CliErrorBody, options?: { cause?: unknown }) {
    super(body.message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = body.code;
    if (body.field !== undefined) this.field = body.field;
    if (body.details !== undefined) this.details = body.details;
    if (body.status !== undefined) this.status = body.status;
  }

  /** The stable JSON body (`{code, message, field?, details?, status?}`). */
  toJSON(): CliErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.status === undefined ? {} : { status: this.status }),
    };
  }
}

/** A usage mistake caught before any request (exit 2). */
export function usageError(code: string, message: string, field?: string): CliError {
  return new CliError(EXIT.usage, { code, message, ...(field === undefined ? {} : { field }) });
}

/** Any thrown value as a CliError: domain errors keep their code and kind, the rest are unexpected. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (isDomainError(error)) {
    return new CliError(exitCodeForKind(error.kind), error.toJSON(), { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(EXIT.unexpected, { code: 'unexpected_error', message }, { cause: error });
}

/** Ends the run with an exit code whose message was already printed (delegated commands). */
export class SilentExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'SilentExit';
  }
}
