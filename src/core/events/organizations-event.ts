/**
 * What a forwarded Organizations event means for the mirror. EventBridge delivers CloudTrail
 * records from the management account in the Organizations home region; API calls come as
 * detail-type "AWS API Call via CloudTrail", results AWS logs itself (CreateAccountResult,
 * AcceptHandshake, AccountJoinedOrganization) as "AWS Service Event via CloudTrail". The event
 * only says WHAT to look at: the apply step asks Organizations for the current truth of that
 * one account or OU, so a late, duplicated or reordered event never writes stale data.
 */

export const ORGANIZATIONS_EVENT_SOURCE = 'aws.organizations';
export const ORGANIZATIONS_DETAIL_TYPES = ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'] as const;

/** Event names that change the mirror (the EventBridge rule forwards exactly these). */
export const HANDLED_EVENT_NAMES = [
  'CreateAccountResult',
  'AccountJoinedOrganization',
  'AcceptHandshake',
  'MoveAccount',
  'RemoveAccountFromOrganization',
  'LeaveOrganization',
  'CloseAccount',
  'CreateOrganizationalUnit',
  'UpdateOrganizationalUnit',
  'DeleteOrganizationalUnit',
] as const;
export type HandledEventName = (typeof HANDLED_EVENT_NAMES)[number];

/** The change an event announces; ids only (and the OU's parent, which AWS never changes). */
export type OrganizationsChange =
  | { kind: 'account-joined'; accountId: string }
  | { kind: 'account-moved'; accountId: string; sourceParentId: string; destinationParentId: string }
  | { kind: 'account-left'; accountId: string }
  | { kind: 'account-closed'; accountId: string }
  | { kind: 'ou-created'; ouId: string; parentId: string }
  | { kind: 'ou-renamed'; ouId: string }
  | { kind: 'ou-deleted'; ouId: string };

/** The fields of an EventBridge envelope this module reads. */
export interface EventEnvelope {
  id: string;
  source: string;
  'detail-type': string;
  detail: {
    eventName?: string | undefined;
    errorCode?: string | undefined;
    requestParameters?: unknown;
    responseElements?: unknown;
    serviceEventDetails?: unknown;
    userIdentity?: unknown;
  };
}

export type EventMeaning =
  | { kind: 'change'; eventName: HandledEventName; change: OrganizationsChange }
  | { kind: 'ignored'; eventName: string | null; reason: string };

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function matching(value: unknown, pattern: RegExp): string | null {
  return typeof value === 'string' && pattern.test(value) ? value : null;
}

function isHandled(name: string): name is HandledEventName {
  return (HANDLED_EVENT_NAMES as readonly string[]).includes(name);
}

/** The account a handshake was with (AcceptHandshake names the parties, not the account). */
function handshakeAccount(detail: EventEnvelope['detail']): string | null {
  const parties = field(detail.serviceEventDetails, 'acceptHandshakeDetails', 'handshake', 'parties') ?? field(detail.responseElements, 'handshake', 'parties');
  if (!Array.isArray(parties)) return null;
  const account = parties.find((p) => field(p, 'type') === 'ACCOUNT');
  return matching(field(account, 'id'), ACCOUNT_ID);
}

type Extracted = OrganizationsChange | { ignored: string };

function accountChange(name: HandledEventName, detail: EventEnvelope['detail']): Extracted {
  const request = detail.requestParameters;
  switch (name) {
    case 'CreateAccountResult': {
      const status = field(detail.serviceEventDetails, 'createAccountStatus');
      const state = field(status, 'state');
      if (state !== 'SUCCEEDED') return { ignored: `account creation ${typeof state === 'string' ? state : 'in an unknown state'}` };
      const accountId = matching(field(status, 'accountId'), ACCOUNT_ID);
      return accountId === null ? { ignored: 'no account id' } : { kind: 'account-joined', accountId };
    }
    case 'AccountJoinedOrganization': {
      const accountId = matching(field(detail.serviceEventDetails, 'accountJoinedOrganizationDetails', 'accountId'), ACCOUNT_ID);
      return accountId === null ? { ignored: 'no account id' } : { kind: 'account-joined', accountId };
    }
    case 'AcceptHandshake': {
      const action = field(detail.serviceEventDetails, 'acceptHandshakeDetails', 'handshake', 'action');
      if (action !== undefined && action !== 'INVITE') return { ignored: `handshake ${String(action)} does not add an account` };
      const accountId = handshakeAccount(detail);
      return accountId === null ? { ignored: 'no account party' } : { kind: 'account-joined', accountId };
    }
    case 'MoveAccount': {
      const accountId = matching(field(request, 'accountId'), ACCOUNT_ID);
      const sourceParentId = matching(field(request, 'sourceParentId'), PARENT_ID);
      const destinationParentId = matching(field(request, 'destinationParentId'), PARENT_ID);
      if (accountId === null || sourceParentId === null || destinationParentId === null) return { ignored: 'incomplete request parameters' };
      return { kind: 'account-moved', accountId, sourceParentId, destinationParentId };
    }
    case 'RemoveAccountFromOrganization': {
      const accountId = matching(field(request, 'accountId'), ACCOUNT_ID);
      return accountId === null ? { ignored: 'no account id' } : { kind: 'account-left', accountId };
    }
    case 'LeaveOrganization': {
      // Called by the member account itself: the caller is the account that left.
      const accountId = matching(field(detail.userIdentity, 'accountId'), ACCOUNT_ID);
      return accountId === null ? { ignored: 'no caller account' } : { kind: 'account-left', accountId };
    }
    case 'CloseAccount': {
      const accountId = matching(field(request, 'accountId'), ACCOUNT_ID);
      return accountId === null ? { ignored: 'no account id' } : { kind: 'account-closed', accountId };
    }
    default:
      return { ignored: 'not an account event' };
  }
}

function ouChange(name: HandledEventName, detail: EventEnvelope['detail']): Extracted {
  const request = detail.requestParameters;
  switch (name) {
    case 'CreateOrganizationalUnit': {
      const ouId = matching(field(detail.responseElements, 'organizationalUnit', 'id'), OU_ID);
      const parentId = matching(field(request, 'parentId'), PARENT_ID);
      return ouId === null || parentId === null ? { ignored: 'no OU or parent id' } : { kind: 'ou-created', ouId, parentId };
    }
    case 'UpdateOrganizationalUnit': {
      const ouId = matching(field(request, 'organizationalUnitId'), OU_ID);
      return ouId === null ? { ignored: 'no OU id' } : { kind: 'ou-renamed', ouId };
    }
    case 'DeleteOrganizationalUnit': {
      const ouId = matching(field(request, 'organizationalUnitId'), OU_ID);
      return ouId === null ? { ignored: 'no OU id' } : { kind: 'ou-deleted', ouId };
    }
    default:
      return accountChange(name, detail);
  }
}

/** Reads an event: the change it announces, or why it is ignored (other source, failed call, unknown name). */
export function interpretOrganizationsEvent(envelope: EventEnvelope): EventMeaning {
  const eventName = typeof envelope.detail.eventName === 'string' ? envelope.detail.eventName : null;
  if (envelope.source !== ORGANIZATIONS_EVENT_SOURCE) return { kind: 'ignored', eventName, reason: `source ${envelope.source} is not ${ORGANIZATIONS_EVENT_SOURCE}` };
  if (!(ORGANIZATIONS_DETAIL_TYPES as readonly string[]).includes(envelope['detail-type'])) {
    return { kind: 'ignored', eventName, reason: `detail-type ${envelope['detail-type']} is not a CloudTrail record` };
  }
  if (eventName === null || !isHandled(eventName)) return { kind: 'ignored', eventName, reason: 'the event does not change the mirror' };
  if (typeof envelope.detail.errorCode === 'string' && envelope.detail.errorCode !== '') {
    return { kind: 'ignored', eventName, reason: `the call failed (${envelope.detail.errorCode})` };
  }
  const extracted = ouChange(eventName, envelope.detail);
  if ('ignored' in extracted) return { kind: 'ignored', eventName, reason: extracted.ignored };
  return { kind: 'change', eventName, change: extracted };
}
