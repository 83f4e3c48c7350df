/**
 * Organizations changes as EventBridge events, shaped as CloudTrail delivers them to the
 * management account's default bus in us-east-1. API calls (MoveAccount, CreateOrganizationalUnit…)
 * arrive as detail-type "AWS API Call via CloudTrail"; results AWS itself logs
 * (CreateAccountResult, AcceptHandshake, AccountJoinedOrganization) as "AWS Service Event via CloudTrail",
 * as real AWS does, so consumers should match on source and detail.eventName.
 */
import { randomUUID } from 'node:crypto';
import { deliverEvent, eventHub } from './events-delivery.js';
import type { Principal, World } from './world.js';

export type OrganizationsEventName =
  | 'CreateAccount'
  | 'CreateAccountResult'
  | 'InviteAccountToOrganization'
  | 'AcceptHandshake'
  | 'AccountJoinedOrganization'
  | 'MoveAccount'
  | 'RemoveAccountFromOrganization'
  | 'CloseAccount'
  | 'CreateOrganizationalUnit'
  | 'UpdateOrganizationalUnit'
  | 'DeleteOrganizationalUnit'
  | 'RegisterDelegatedAdministrator'
  | 'DeregisterDelegatedAdministrator';

export interface CloudTrailDetail {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: 'organizations.amazonaws.com';
  eventName: OrganizationsEventName;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  serviceEventDetails?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: false;
  eventType: 'AwsApiCall' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

export interface SandboxEvent {
  version: '0';
  id: string;
  'detail-type': 'AWS API Call via CloudTrail' | 'AWS Service Event via CloudTrail';
  source: 'aws.organizations';
  account: string;
  time: string;
  region: 'us-east-1';
  resources: string[];
  detail: CloudTrailDetail;
}

export interface OrganizationsEventInput {
  eventName: OrganizationsEventName;
  /** Who made the call; absent for service events. */
  caller?: Principal;
  accessKeyId?: string;
  requestId?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  serviceEventDetails?: Record<string, unknown>;
}

/** CloudTrail writes timestamps to the second, in UTC. */
function cloudTrailTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function userIdentity(world: World, caller: Principal | undefined, accessKeyId: string | undefined): Record<string, unknown> {
  if (!caller) return { accountId: world.organization?.managementAccountId ?? '', invokedBy: 'organizations.amazonaws.com' };
  const base = { accountId: caller.accountId, arn: caller.arn, ...(accessKeyId ? { accessKeyId } : {}) };
  if (caller.kind === 'root') return { type: 'Root', principalId: caller.accountId, ...base };
  if (caller.kind === 'user') return { type: 'IAMUser', principalId: caller.accountId, userName: caller.userName, ...base };
  return {
    type: 'AssumedRole',
    principalId: `${caller.roleName}:${caller.sessionName}`,
    ...base,
    sessionContext: { sessionIssuer: { type: 'Role', arn: caller.roleArn, accountId: caller.accountId, userName: caller.roleName } },
  };
}

/** Builds the EventBridge event for one Organizations change. */
export function buildOrganizationsEvent(world: World, input: OrganizationsEventInput): SandboxEvent {
  const now = world.now();
  const managementAccountId = world.organization?.managementAccountId ?? '';
  const serviceEvent = input.caller === undefined;
  const detail: CloudTrailDetail = {
    eventVersion: serviceEvent ? '1.08' : '1.09',
    userIdentity: userIdentity(world, input.caller, input.accessKeyId),
    eventTime: cloudTrailTime(now),
    eventSource: 'organizations.amazonaws.com',
    eventName: input.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: serviceEvent ? 'organizations.amazonaws.com' : '127.0.0.1',
    userAgent: serviceEvent ? 'organizations.amazonaws.com' : 'orglink-sandbox',
    requestParameters: input.requestParameters ?? null,
    responseElements: input.responseElements ?? null,
    ...(input.serviceEventDetails ? { serviceEventDetails: input.serviceEventDetails } : {}),
    requestID: input.requestId ?? randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: serviceEvent ? 'AwsServiceEvent' : 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: managementAccountId,
    eventCategory: 'Management',
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': serviceEvent ? 'AWS Service Event via CloudTrail' : 'AWS API Call via CloudTrail',
    source: 'aws.organizations',
    account: managementAccountId,
    time: cloudTrailTime(now),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** Records an Organizations event: kept in the world's recent-events log and queued for HTTP delivery. */
export function recordOrganizationsEvent(world: World, input: OrganizationsEventInput): SandboxEvent {
  const event = buildOrganizationsEvent(world, input);
  const hub = eventHub(world);
  hub.log.push(event);
  if (hub.log.length > hub.logLimit) hub.log.splice(0, hub.log.length - hub.logLimit);
  deliverEvent(world, event);
  return event;
}

/** The most recent events (oldest first), up to the log limit (default 1,000). */
export function recentOrganizationsEvents(world: World): readonly SandboxEvent[] {
  return eventHub(world).log;
}
