/**
 * How orglink reads an AWS SDK error: its code, whether it is throttling, a refusal, or a
 * transient failure worth retrying. One place, so the limiter, walker and prober agree.
 */

/** Codes AWS services use for "slow down"; Organizations says TooManyRequestsException. */
const THROTTLING_CODES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
  'TooManyRequests',
  'PriorRequestNotComplete',
  'TransactionInProgressException',
]);

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);

/** Failures of the service or the network that a retry may cure. */
const TRANSIENT_CODES = new Set([
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** The AWS error code (`TooManyRequestsException`, `AccessDenied`...), or the error's name. */
export function awsErrorCode(error: unknown): string {
  const e = shape(error);
  for (const candidate of [e.Code, e.name, e.code]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
  }
  return 'UnknownError';
}

/** The error's message without anything else (never credentials: SDK errors carry none). */
export function awsErrorMessage(error: unknown): string {
  const message = shape(error).message;
  return typeof message === 'string' && message !== '' ? message : awsErrorCode(error);
}

/** HTTP status of the AWS answer, if there was one. */
export function awsHttpStatus(error: unknown): number | undefined {
  return shape(error).$metadata?.httpStatusCode;
}

/** True for "slow down" answers: throttling codes, HTTP 429, or the SDK's own throttling flag. */
export function isThrottlingError(error: unknown): boolean {
  const e = shape(error);
  return THROTTLING_CODES.has(awsErrorCode(error)) || awsHttpStatus(error) === 429 || e.$retryable?.throttling === true;
}

/** True when AWS refused the caller (a permission or trust problem, not a transient one). */
export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED_CODES.has(awsErrorCode(error));
}

/** True for server-side or network failures a retry may cure (5xx, timeouts, resets). */
export function isTransientError(error: unknown): boolean {
  if (isThrottlingError(error)) return false;
  const status = awsHttpStatus(error);
  return TRANSIENT_CODES.has(awsErrorCode(error)) || (status !== undefined && status >= 500);
}
