/**
 * Organizations state that the shared World shape has no field for: CreateAccount
 * request statuses, pending closures, delegation dates, sandbox knobs, and a cache of
 * the organization's account order for ListAccounts. Kept per world in a WeakMap; the
 * durable parts are saved and loaded through persistence.ts's hook registry.
 */
import { registerPersistenceHook } from './persistence-hooks.js';
import type { World } from './world.js';

export interface CreateAccountStatus {
  id: string; // car-...
  accountName: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  requestedTimestamp: Date;
  completedTimestamp?: Date;
  accountId?: string;
  failureReason?: string;
}

export interface OrganizationsSettings {
  /** How long an account stays PENDING_CLOSURE before it reads as CLOSED (default 2 s). */
  closureDelayMs: number;
}

export interface OrganizationExtras {
  createAccountStatuses: Map<string, CreateAccountStatus>;
  pendingClosures: Map<string, Date>;
  /** `${accountId} ${servicePrincipal}` → when the delegation was registered. */
  delegationDates: Map<string, Date>;
  settings: OrganizationsSettings;
  accountList: string[] | null;
}

const extrasByWorld = new WeakMap<World, OrganizationExtras>();

/** The world's Organizations side state, created on first use. */
export function organizationExtras(world: World): OrganizationExtras {
  let extras = extrasByWorld.get(world);
  if (!extras) {
    extras = {
      createAccountStatuses: new Map(),
      pendingClosures: new Map(),
      delegationDates: new Map(),
      settings: { closureDelayMs: 2000 },
      accountList: null,
    };
    extrasByWorld.set(world, extras);
  }
  return extras;
}

/** Changes the Organizations knobs of a world (e.g. `{ closureDelayMs: 0 }`). */
export function setOrganizationsSettings(world: World, settings: Partial<OrganizationsSettings>): OrganizationsSettings {
  const extras = organizationExtras(world);
  if (settings.closureDelayMs !== undefined) {
    if (!(settings.closureDelayMs >= 0)) throw new RangeError('closureDelayMs must be ≥ 0');
    extras.settings.closureDelayMs = settings.closureDelayMs;
  }
  return { ...extras.settings };
}

registerPersistenceHook('organizations', {
  save(world) {
    const extras = extrasByWorld.get(world);
    if (!extras) return undefined;
    return {
      createAccountStatuses: extras.createAccountStatuses,
      pendingClosures: extras.pendingClosures,
      delegationDates: extras.delegationDates,
      settings: extras.settings,
    };
  },
  load(world, data) {
    const saved = data as Omit<OrganizationExtras, 'accountList'>;
    const extras = organizationExtras(world);
    extras.createAccountStatuses = saved.createAccountStatuses;
    extras.pendingClosures = saved.pendingClosures;
    extras.delegationDates = saved.delegationDates;
    extras.settings = saved.settings;
    extras.accountList = null;
  },
});
