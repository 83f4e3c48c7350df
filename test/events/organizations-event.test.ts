/** Reading EventBridge envelopes: which change each Organizations event announces, and what is ignored. */
import { describe, expect, it } from 'vitest';
import { interpretOrganizationsEvent, type EventEnvelope } from '../../src/core/events/organizations-event.js';

const API = 'AWS API Call via CloudTrail';
const SERVICE = 'AWS Service Event via CloudTrail';
const OU = 'ou-ab12-cd34ef56';
const OU2 = 'ou-ab12-99999999';

function envelope(detailType: string, detail: EventEnvelope['detail'], source = 'aws.organizations'): EventEnvelope {
  return { id: 'e-1', source, 'detail-type': detailType, detail };
}

describe('interpretOrganizationsEvent: changes', () => {
  it.each<[string, EventEnvelope, unknown]>([
    [
      'CreateAccountResult (service event)',
      envelope(SERVICE, { eventName: 'CreateAccountResult', serviceEventDetails: { createAccountStatus: { state: 'SUCCEEDED', accountId: '123456789012' } } }),
      { kind: 'account-joined', accountId: '123456789012' },
    ],
    [
      'AccountJoinedOrganization',
      envelope(SERVICE, { eventName: 'AccountJoinedOrganization', serviceEventDetails: { accountJoinedOrganizationDetails: { accountId: '123456789012' } } }),
      { kind: 'account-joined', accountId: '123456789012' },
    ],
    [
      'AcceptHandshake (the ACCOUNT party)',
      envelope(SERVICE, {
        eventName: 'AcceptHandshake',
        serviceEventDetails: { acceptHandshakeDetails: { handshake: { action: 'INVITE', parties: [{ id: 'o-abc', type: 'ORGANIZATION' }, { id: '123456789012', type: 'ACCOUNT' }] } } },
      }),
      { kind: 'account-joined', accountId: '123456789012' },
    ],
    [
      'MoveAccount',
      envelope(API, { eventName: 'MoveAccount', requestParameters: { accountId: '123456789012', sourceParentId: 'r-ab12', destinationParentId: OU } }),
      { kind: 'account-moved', accountId: '123456789012', sourceParentId: 'r-ab12', destinationParentId: OU },
    ],
    ['RemoveAccountFromOrganization', envelope(API, { eventName: 'RemoveAccountFromOrganization', requestParameters: { accountId: '123456789012' } }), { kind: 'account-left', accountId: '123456789012' }],
    ['LeaveOrganization (the caller left)', envelope(API, { eventName: 'LeaveOrganization', userIdentity: { accountId: '123456789012' } }), { kind: 'account-left', accountId: '123456789012' }],
    ['CloseAccount', envelope(API, { eventName: 'CloseAccount', requestParameters: { accountId: '123456789012' } }), { kind: 'account-closed', accountId: '123456789012' }],
    [
      'CreateOrganizationalUnit',
      envelope(API, { eventName: 'CreateOrganizationalUnit', requestParameters: { parentId: OU2, name: 'x' }, responseElements: { organizationalUnit: { id: OU } } }),
      { kind: 'ou-created', ouId: OU, parentId: OU2 },
    ],
    ['UpdateOrganizationalUnit', envelope(API, { eventName: 'UpdateOrganizationalUnit', requestParameters: { organizationalUnitId: OU, name: 'y' } }), { kind: 'ou-renamed', ouId: OU }],
    ['DeleteOrganizationalUnit', envelope(API, { eventName: 'DeleteOrganizationalUnit', requestParameters: { organizationalUnitId: OU } }), { kind: 'ou-deleted', ouId: OU }],
  ])('%s', (_, event, change) => {
    expect(interpretOrganizationsEvent(event)).toMatchObject({ kind: 'change', change });
  });
});

describe('interpretOrganizationsEvent: ignored', () => {
  it.each<[string, EventEnvelope, RegExp]>([
    ['another source', envelope(API, { eventName: 'MoveAccount' }, 'aws.ec2'), /source/],
    ['another detail-type', envelope('Scheduled Event', { eventName: 'MoveAccount' }), /detail-type/],
    ['an unknown event name', envelope(API, { eventName: 'TagResource' }), /does not change/],
    ['InviteAccountToOrganization (nothing joined yet)', envelope(API, { eventName: 'InviteAccountToOrganization' }), /does not change/],
    ['no event name', envelope(API, {}), /does not change/],
    ['a failed call', envelope(API, { eventName: 'MoveAccount', errorCode: 'AccessDenied', requestParameters: {} }), /failed \(AccessDenied\)/],
    ['a failed account creation', envelope(SERVICE, { eventName: 'CreateAccountResult', serviceEventDetails: { createAccountStatus: { state: 'FAILED' } } }), /FAILED/],
    ['a malformed account id', envelope(API, { eventName: 'CloseAccount', requestParameters: { accountId: '12' } }), /no account id/],
    ['a move without parents', envelope(API, { eventName: 'MoveAccount', requestParameters: { accountId: '123456789012' } }), /incomplete/],
  ])('%s', (_, event, reason) => {
    const meaning = interpretOrganizationsEvent(event);
    expect(meaning.kind).toBe('ignored');
    if (meaning.kind === 'ignored') expect(meaning.reason).toMatch(reason);
  });
});
