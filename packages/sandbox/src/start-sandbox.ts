/**
 * One call that gives a running sandbox: a world (generated from a seed or spec, or loaded
 * from a state file), every service, and the HTTP server. Used in-process by tests and
 * `orglink demo`, and by the CLI. Returns what a client needs to talk to it.
 */
import { existsSync } from 'node:fs';
import { setEventTargets } from './events-delivery.js';
import type { EventTarget } from './events-delivery.js';
import { generateOrganization } from './generator.js';
import type { GeneratedOrganization, GeneratorOptions } from './generator.js';
import { setPagingOptions } from './paging.js';
import { loadWorld, saveWorld } from './persistence.js';
import { createSandboxServer } from './server.js';
import type { SandboxServer } from './server.js';
import type { ServiceDefinition } from './service.js';
import { cloudFormationService } from './services/cloudformation.js';
import { iamService } from './services/iam.js';
import { identityStoreService } from './services/identitystore.js';
import { organizationsService } from './services/organizations.js';
import { ssoAdminService } from './services/sso-admin.js';
import { stsService } from './services/sts.js';
import { createWorld } from './world-factory.js';
import type { World } from './world.js';

/** Every service the sandbox serves. */
export const SANDBOX_SERVICES: readonly ServiceDefinition[] = [
  organizationsService,
  stsService,
  iamService,
  cloudFormationService,
  identityStoreService,
  ssoAdminService,
];

export interface StartSandboxOptions extends GeneratorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** AWS-like throttling per API family (default false; the CLI turns it on unless --no-throttle). */
  throttle?: boolean;
  /** Full realism settings (see the README's Realism section); overrides `throttle`. */
  realism?: unknown;
  /** Load the world from this file if it exists (else generate), and save it there on close(). */
  stateFile?: string;
  /** Share of List pages answered empty with a NextToken, as AWS sometimes does (default 0). */
  emptyPageRate?: number;
  /** HTTP targets for Organizations events. */
  eventTargets?: EventTarget[];
  controlToken?: string;
  now?: () => Date;
}

export interface RunningSandbox {
  endpoint: string;
  region: string;
  platform: { accessKeyId: string; secretAccessKey: string; principalArn: string };
  managementRoot: { accessKeyId: string; secretAccessKey: string };
  managementAccountId: string;
  organizationId: string;
  discoveryRoleArn: string;
  memberRoleName: string;
  externalId: string;
  /** Where the generated identities came from: the generator, or the loaded state file. */
  generated: GeneratedOrganization;
  world: World;
  server: SandboxServer;
  /** Stops the server (and saves the world when a state file is set). */
  close(): Promise<void>;
}

/** What a state file stores next to the world, so a reloaded sandbox reports the same identities. */
interface StateMeta {
  generated: GeneratedOrganization;
}

async function prepareWorld(options: StartSandboxOptions): Promise<{ world: World; generated: GeneratedOrganization }> {
  if (options.stateFile && existsSync(options.stateFile)) {
    const { world, meta } = await loadWorld(options.stateFile, options.now ? { now: options.now } : {});
    const generated = (meta as StateMeta | undefined)?.generated;
    if (!generated) throw new Error(`${options.stateFile} has no generated identities; it was not written by startSandbox`);
    return { world, generated };
  }
  const world = createWorld({ seed: options.spec?.seed ?? options.seed ?? 1, ...(options.now ? { now: options.now } : {}) });
  return { world, generated: generateOrganization(world, options) };
}

/** Starts a sandbox: world, services and server. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { world, generated } = await prepareWorld(options);
  if (options.eventTargets) setEventTargets(world, options.eventTargets);
  if (options.emptyPageRate !== undefined) setPagingOptions(world, { emptyPageRate: options.emptyPageRate, seed: options.seed ?? 1 });
  const realism = options.realism ?? { throttling: { enabled: options.throttle ?? false } };
  const server = await createSandboxServer({
    world,
    services: [...SANDBOX_SERVICES],
    realism,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    ...(options.controlToken ? { controlToken: options.controlToken } : {}),
  });
  let closed = false;
  return {
    endpoint: server.endpoint,
    region: world.defaultRegion,
    platform: { accessKeyId: generated.platform.accessKeyId, secretAccessKey: generated.platform.secretAccessKey, principalArn: generated.platform.principalArn },
    managementRoot: { ...generated.managementRoot },
    managementAccountId: generated.managementAccountId,
    organizationId: generated.organizationId,
    discoveryRoleArn: generated.discoveryRoleArn,
    memberRoleName: generated.memberRoleName,
    externalId: generated.externalId,
    generated,
    world,
    server,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      if (options.stateFile) await saveWorld(world, options.stateFile, { generated } satisfies StateMeta);
    },
  };
}
