/**
 * From a signed request to a caller: find the access key the sandbox issued, check its
 * session token and expiry against world.now(), and verify the SigV4 signature.
 * The error codes differ by protocol exactly as AWS's do: Query services (STS, IAM,
 * CloudFormation) say InvalidClientTokenId / SignatureDoesNotMatch / ExpiredToken with
 * 403; JSON services say UnrecognizedClientException / InvalidSignatureException /
 * ExpiredTokenException with 400 (403 for a missing token).
 */
import { AwsError } from './aws-error.js';
import { isPresignExpired, isSigningTimeSkewed, parseSignature, verifySignature } from './sigv4.js';
import type { ParsedSignature, SignedRequestParts } from './sigv4.js';
import type { Credential, World } from './world.js';

export type AuthFailure = 'missing' | 'incomplete' | 'unknown-key' | 'bad-token' | 'expired-token' | 'bad-signature' | 'signature-expired';

const QUERY_ERRORS: Record<AuthFailure, [string, number]> = {
  missing: ['MissingAuthenticationToken', 403],
  incomplete: ['IncompleteSignature', 400],
  'unknown-key': ['InvalidClientTokenId', 403],
  'bad-token': ['InvalidClientTokenId', 403],
  'expired-token': ['ExpiredToken', 403],
  'bad-signature': ['SignatureDoesNotMatch', 403],
  'signature-expired': ['SignatureDoesNotMatch', 403],
};

const JSON_ERRORS: Record<AuthFailure, [string, number]> = {
  missing: ['MissingAuthenticationTokenException', 403],
  incomplete: ['IncompleteSignatureException', 400],
  'unknown-key': ['UnrecognizedClientException', 400],
  'bad-token': ['UnrecognizedClientException', 400],
  'expired-token': ['ExpiredTokenException', 400],
  'bad-signature': ['InvalidSignatureException', 400],
  'signature-expired': ['InvalidSignatureException', 400],
};

/** The AwsError a protocol answers for an authentication failure. */
export function authError(protocol: 'json' | 'query', failure: AuthFailure, message: string): AwsError {
  const [code, status] = (protocol === 'json' ? JSON_ERRORS : QUERY_ERRORS)[failure];
  return new AwsError(code, message, status);
}

export interface ResolvedCaller {
  credential: Credential;
  signature: ParsedSignature;
}

/** Parses the signature without checking it (routing needs the credential scope first). */
export function readSignature(parts: SignedRequestParts, protocol: 'json' | 'query'): ParsedSignature {
  const parsed = parseSignature(parts);
  if (!parsed.ok) throw authError(protocol, parsed.reason, parsed.message);
  return parsed.value;
}

/** Authenticates a request whose signature has been parsed; throws the protocol's AwsError. */
export function resolveCaller(
  world: World,
  parts: SignedRequestParts,
  signature: ParsedSignature,
  protocol: 'json' | 'query',
  realNow = Date.now(),
): ResolvedCaller {
  const credential = world.credentials.get(signature.accessKeyId);
  if (!credential) {
    throw authError(protocol, 'unknown-key', 'The security token included in the request is invalid.');
  }
  if ((credential.sessionToken ?? undefined) !== signature.sessionToken) {
    throw authError(protocol, 'bad-token', 'The security token included in the request is invalid.');
  }
  if (credential.expiresAt && credential.expiresAt.getTime() <= world.now().getTime()) {
    throw authError(protocol, 'expired-token', 'The security token included in the request is expired');
  }
  if (!verifySignature(parts, signature, credential.secretAccessKey)) {
    throw authError(
      protocol,
      'bad-signature',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  // Clients sign with the real clock, so skew is measured against it, not world.now().
  if (signature.presigned && signature.expiresSeconds !== undefined) {
    if (isPresignExpired(signature.amzDate, signature.expiresSeconds, realNow)) {
      throw authError(protocol, 'signature-expired', `Signature expired: ${signature.amzDate} is now earlier than the X-Amz-Expires window.`);
    }
  } else if (isSigningTimeSkewed(signature.amzDate, realNow)) {
    throw authError(protocol, 'signature-expired', `Signature expired: ${signature.amzDate} is now earlier than the allowed 15 minute window.`);
  }
  return { credential, signature };
}
