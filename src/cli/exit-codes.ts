/**
 * The CLI's exit codes, decided in this one place and documented in docs/cli.md.
 * Scripts may branch on them; they never change meaning.
 */

/** Every exit code the `orglink` command can return. */
export const EXIT = {
  ok: 0,
  /** A bug or an answer we did not expect (HTTP 500, malformed response). */
  unexpected: 1,
  /** Usage error or invalid input: commander refused the flags, or the API answered 400. */
  usage: 2,
  /** No valid token (HTTP 401). */
  unauthenticated: 3,
  /** A rule refused the action (HTTP 403); the error code names the rule. */
  forbidden: 4,
  /** No such object, or it belongs to another tenant (HTTP 404). */
  notFound: 5,
  /** Clash with existing state, e.g. a taken handle (HTTP 409). */
  conflict: 6,
  /** AWS (or the sandbox) answered with an error (HTTP 502). */
  upstream: 7,
  /** The server could not be reached (refused, DNS, timeout). */
  unreachable: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for an HTTP error status from the API. */
export function exitCodeForStatus(status: number): ExitCode {
  switch (status) {
    case 400:
    case 422:
      return EXIT.usage;
    case 401:
      return EXIT.unauthenticated;
    case 403:
      return EXIT.forbidden;
    case 404:
      return EXIT.notFound;
    case 409:
      return EXIT.conflict;
    case 502:
      return EXIT.upstream;
    default:
      return EXIT.unexpected;
  }
}

/** The error kinds of src/core/errors.ts, mapped the same way as their HTTP statuses. */
export function exitCodeForKind(kind: string): ExitCode {
  switch (kind) {
    case 'invalid_input':
      return EXIT.usage;
    case 'unauthenticated':
      return EXIT.unauthenticated;
    case 'forbidden':
      return EXIT.forbidden;
    case 'not_found':
      return EXIT.notFound;
    case 'conflict':
      return EXIT.conflict;
    case 'upstream':
      return EXIT.upstream;
    default:
      return EXIT.unexpected;
  }
}
