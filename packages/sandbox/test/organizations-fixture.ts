/**
 * A generated organization served over HTTP, with Organizations clients for each kind
 * of caller the tests need: management root, the discovery role (assumed with the
 * External ID), a member account's role, and an account outside the organization.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { generateOrganization } from '../src/generator.js';
import type { GeneratedOrganization, GeneratorOptions } from '../src/generator.js';
import { setOrganizationsSettings } from '../src/organization-state-extras.js';
import { iamService } from '../src/services/iam.js';
import { organizationsService } from '../src/services/organizations.js';
import { stsService } from '../src/services/sts.js';
import { createWorld, issueLongTermKey, rootPrincipal } from '../src/world-factory.js';
import type { World } from '../src/world.js';
import { fromStsCredentials, startSandbox } from './support/sandbox-server.js';
import type { CredentialLike, StartedSandbox } from './support/sandbox-server.js';

export interface OrganizationsFixture {
  world: World;
  generated: GeneratedOrganization;
  sandbox: StartedSandbox;
  /** A client signing with `credential`. */
  client(credential: CredentialLike): OrganizationsClient;
  management: OrganizationsClient;
  /** Credentials from AssumeRole into `roleArn` as the platform user. */
  assume(roleArn: string, externalId?: string): Promise<CredentialLike>;
  /** Root keys of any account. */
  rootOf(accountId: string): CredentialLike;
  close(): Promise<void>;
}

/** Generates an org (seeded), starts a server for Organizations, STS and IAM. */
export async function startOrganizationsFixture(options: GeneratorOptions = {}): Promise<OrganizationsFixture> {
  const world = createWorld({ seed: options.seed ?? 7 });
  const generated = generateOrganization(world, { seed: 7, accounts: 30, ous: 6, depth: 3, ...options });
  setOrganizationsSettings(world, { closureDelayMs: 60_000 });
  const sandbox = await startSandbox({ world, services: [organizationsService, stsService, iamService] });
  const clients: OrganizationsClient[] = [];
  const client = (credential: CredentialLike): OrganizationsClient => {
    const created = new OrganizationsClient(sandbox.clientConfig(credential));
    clients.push(created);
    return created;
  };
  const sts = new STSClient(sandbox.clientConfig(generated.platform));
  return {
    world,
    generated,
    sandbox,
    client,
    management: client(generated.managementRoot),
    async assume(roleArn, externalId = generated.externalId) {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test', ExternalId: externalId }));
      return fromStsCredentials(out.Credentials);
    },
    rootOf: (accountId) => issueLongTermKey(world, rootPrincipal(world, accountId)),
    async close() {
      for (const c of clients) c.destroy();
      sts.destroy();
      await sandbox.close();
    },
  };
}

/** The error name and message a rejected SDK call carries. */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, ...(e.$metadata?.httpStatusCode ? { status: e.$metadata.httpStatusCode } : {}) };
  }
  throw new Error('expected the call to fail');
}
