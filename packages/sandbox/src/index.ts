/**
 * @orglink/sandbox: a local, wire-compatible AWS for tests, demos and trying orglink.
 * Most callers need only startSandbox() (or the CLI); the rest is for tests and tools
 * that build or inspect a world themselves.
 */
export { startSandbox, SANDBOX_SERVICES } from './start-sandbox.js';
export type { RunningSandbox, StartSandboxOptions } from './start-sandbox.js';
export { runSandboxCli, parseSandboxArgs, sandboxSummary, SANDBOX_USAGE } from './cli.js';
export type { SandboxCliIo } from './cli.js';
export { createSandboxServer } from './server.js';
export type { SandboxServer, SandboxServerOptions } from './server.js';

export { createWorld, emitWorldEvent, issueLongTermKey, putRole, rootPrincipal } from './world-factory.js';
export type { WorldOptions } from './world-factory.js';
export type * from './world.js';
export { AwsError } from './aws-error.js';
export type { ServiceDefinition, Operation, OperationContext } from './service.js';

export { generateOrganization } from './generator.js';
export type { BlockedAccount, GeneratedOrganization, GeneratorOptions } from './generator.js';
export { GeneratorInputError, parseOrganizationSpec, validateOrganizationSpec } from './generator-spec.js';
export type { BlockedKind, OrganizationParameters, OrganizationSpec } from './generator-spec.js';
export { DISCOVERY_ACTIONS, externalIdTrustPolicy } from './generator-identities.js';

export {
  addAccountToOrganization,
  closeAccount,
  createOrganization,
  createOrganizationalUnit,
  deleteOrganizationalUnit,
  moveAccount,
  removeAccountFromOrganization,
  renameOrganizationalUnit,
  setAccountState,
} from './organization-state.js';
export { createMemberAccount, inviteAccount, reinstateAccount, suspendAccount } from './organization-state-admin.js';
export { setOrganizationsSettings } from './organization-state-extras.js';
export type { OrganizationsSettings } from './organization-state-extras.js';
export { paginate, pagingOptions, setPagingOptions } from './paging.js';
export type { Page, PageRequest, PagingOptions } from './paging.js';

export { buildOrganizationsEvent, recentOrganizationsEvents, recordOrganizationsEvent } from './events.js';
export type { SandboxEvent, OrganizationsEventName } from './events.js';
export { eventDeliveryStats, eventTargets, flushEventDeliveries, setEventTargets } from './events-delivery.js';
export type { DeliveryStats, EventTarget } from './events-delivery.js';

export { loadWorld, saveWorld, serializeWorld, deserializeWorld } from './persistence.js';
export { registerPersistenceHook } from './persistence-hooks.js';
export type { PersistenceHook } from './persistence-hooks.js';
export { advanceWorldTime } from './control-api.js';

export { AWS_LIKE_THROTTLE_PROFILE, defaultRealismSettings } from './realism/settings.js';
export type { RealismSettings, RealismUpdate } from './realism/settings.js';
export { enableIdentityCenter, setIdentityCenterSettings } from './identity-center-state.js';
export { cloudFormationService } from './services/cloudformation.js';
export { identityStoreService } from './services/identitystore.js';
export { ssoAdminService } from './services/sso-admin.js';
