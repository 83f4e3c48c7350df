/**
 * Starting a sandbox server for a test: port 0 on 127.0.0.1, plus the SDK v3 client
 * config (endpoint override, region, credentials) for any key the world issued.
 * Other sandbox suites reuse this; it is the only way tests should start a server.
 */
import { createSandboxServer } from '../../src/server.js';
import type { SandboxServer, SandboxServerOptions } from '../../src/server.js';
import type { Credential } from '../../src/world.js';

export interface SdkClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** One attempt by default so tests see throttling and faults instead of retries. */
  maxAttempts: number;
}

export interface StartedSandbox {
  server: SandboxServer;
  endpoint: string;
  /** Config for `new XClient(config)` signing as `credential`. */
  clientConfig(credential: CredentialLike, overrides?: Partial<SdkClientConfig>): SdkClientConfig;
  close(): Promise<void>;
}

export type CredentialLike = Pick<Credential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;

/** Starts a server on an ephemeral port; call close() in afterAll. */
export async function startSandbox(options: Omit<SandboxServerOptions, 'port'>): Promise<StartedSandbox> {
  const server = await createSandboxServer({ ...options, port: 0 });
  return {
    server,
    endpoint: server.endpoint,
    clientConfig: (credential, overrides = {}) => ({
      endpoint: server.endpoint,
      region: options.world.defaultRegion,
      credentials: sdkCredentials(credential),
      maxAttempts: 1,
      ...overrides,
    }),
    close: () => server.close(),
  };
}

/** The SDK's credential shape for a sandbox credential (or an STS response's Credentials). */
export function sdkCredentials(credential: CredentialLike): SdkClientConfig['credentials'] {
  return {
    accessKeyId: credential.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    ...(credential.sessionToken === undefined ? {} : { sessionToken: credential.sessionToken }),
  };
}

/** Turns STS AssumeRole's Credentials into a CredentialLike. */
export function fromStsCredentials(credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): CredentialLike {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
}
