/**
 * Temporary credentials from AssumeRole, in the shape SDK clients take, that redact their
 * secrets when serialized or inspected: a log line or an error report that includes them
 * shows the access key id and the expiry, never the secret or the session token.
 */
import { inspect } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';

export class TemporaryCredentials implements AwsCredentialIdentity {
  readonly accessKeyId: string;
  declare readonly secretAccessKey: string;
  declare readonly sessionToken: string;
  readonly expiration: Date;

  constructor(fields: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date }) {
    this.accessKeyId = fields.accessKeyId;
    this.expiration = fields.expiration;
    // Not enumerable: Object.keys, spreads into log objects and naive serializers skip them; the SDK reads them by name.
    Object.defineProperty(this, 'secretAccessKey', { value: fields.secretAccessKey, enumerable: false });
    Object.defineProperty(this, 'sessionToken', { value: fields.sessionToken, enumerable: false });
  }

  /** What JSON.stringify (and pino) print. */
  toJSON(): { accessKeyId: string; expiration: string; secretAccessKey: '[redacted]'; sessionToken: '[redacted]' } {
    return { accessKeyId: this.accessKeyId, expiration: this.expiration.toISOString(), secretAccessKey: '[redacted]', sessionToken: '[redacted]' };
  }

  /** What console.log and util.inspect print. */
  [inspect.custom](): string {
    return `TemporaryCredentials { accessKeyId: '${this.accessKeyId}', expiration: ${this.expiration.toISOString()}, secrets: [redacted] }`;
  }
}
