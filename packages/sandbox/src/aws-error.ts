/**
 * An error in AWS's own terms: the code the SDKs switch on, the HTTP status AWS
 * uses for it, and whether the caller (Sender) or the service (Receiver) is at fault.
 * Protocol layers render it as JSON 1.1 or as Query-protocol XML.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';

  constructor(code: string, message: string, status = 400, fault: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.fault = fault;
  }
}

/** Shorthand for the most common refusal. JSON services say AccessDeniedException. */
export function accessDenied(message: string, code: 'AccessDenied' | 'AccessDeniedException' = 'AccessDenied'): AwsError {
  return new AwsError(code, message, 403);
}
