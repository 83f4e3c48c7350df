/**
 * Inline and attached policies of IAM users and groups (roles have theirs in
 * iam-roles.ts), plus listing and deleting a user's access keys.
 */
import { AwsError } from '../aws-error.js';
import { queryString } from '../protocols/query-values.js';
import type { Operation, OperationContext } from '../service.js';
import type { IamGroup, IamUser } from '../world.js';
import { encodePolicyDocument, iamName, noSuchEntity, pageItems, policyDocumentInput } from './iam-common.js';
import { accessKeysOf } from './iam-entities.js';
import { attachedPolicyOutput, managedPolicyExists } from './iam-roles.js';

const INLINE_USER_POLICY_MAX = 2048;
const INLINE_GROUP_POLICY_MAX = 5120;
const MAX_ATTACHED = 10;

type Holder = IamUser | IamGroup;

interface HolderKind {
  member: 'UserName' | 'GroupName';
  noun: 'user' | 'group';
  maxName: number;
  inlineMax: number;
  find(ctx: OperationContext, name: string): Holder | undefined;
}

const USER: HolderKind = {
  member: 'UserName',
  noun: 'user',
  maxName: 64,
  inlineMax: INLINE_USER_POLICY_MAX,
  find: (ctx, name) => ctx.world.iam.get(ctx.caller.accountId)?.users.get(name),
};

const GROUP: HolderKind = {
  member: 'GroupName',
  noun: 'group',
  maxName: 128,
  inlineMax: INLINE_GROUP_POLICY_MAX,
  find: (ctx, name) => ctx.world.iam.get(ctx.caller.accountId)?.groups.get(name),
};

function holder(kind: HolderKind, ctx: OperationContext, input: Record<string, unknown>): Holder {
  const name = iamName(input, kind.member, kind.maxName);
  const found = kind.find(ctx, name);
  if (!found) throw noSuchEntity(`The ${kind.noun} with name ${name} cannot be found.`);
  return found;
}

function resourceFor(kind: HolderKind) {
  return (ctx: OperationContext, input: Record<string, unknown>): string => {
    const name = typeof input[kind.member] === 'string' ? (input[kind.member] as string) : '*';
    const path = kind.find(ctx, name)?.path ?? '/';
    return `arn:aws:iam::${ctx.caller.accountId}:${kind.noun}${path}${name}`;
  };
}

function policyOperations(kind: HolderKind, noun: 'User' | 'Group'): Record<string, Operation> {
  const op = (handler: Operation['handler']): Operation => ({ handler, resource: resourceFor(kind) });
  return {
    [`Put${noun}Policy`]: op((ctx, input) => {
      const target = holder(kind, ctx, input);
      const name = iamName(input, 'PolicyName', 128);
      target.inlinePolicies.set(name, policyDocumentInput(input, 'PolicyDocument', 'identity', kind.inlineMax));
      return undefined;
    }),
    [`Get${noun}Policy`]: op((ctx, input) => {
      const target = holder(kind, ctx, input);
      const name = iamName(input, 'PolicyName', 128);
      const document = target.inlinePolicies.get(name);
      if (!document) throw noSuchEntity(`The ${kind.noun} policy with name ${name} cannot be found.`);
      return { [kind.member]: target.name, PolicyName: name, PolicyDocument: encodePolicyDocument(document) };
    }),
    [`Delete${noun}Policy`]: op((ctx, input) => {
      const target = holder(kind, ctx, input);
      const name = iamName(input, 'PolicyName', 128);
      if (!target.inlinePolicies.delete(name)) throw noSuchEntity(`The ${kind.noun} policy with name ${name} cannot be found.`);
      return undefined;
    }),
    [`List${noun}Policies`]: op((ctx, input) => {
      const page = pageItems([...holder(kind, ctx, input).inlinePolicies.keys()], input);
      return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
    }),
    [`Attach${noun}Policy`]: op((ctx, input) => {
      const target = holder(kind, ctx, input);
      const arn = queryString(input, 'PolicyArn', true);
      if (!managedPolicyExists(ctx, arn)) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
      if (target.attachedPolicyArns.includes(arn)) return undefined;
      if (target.attachedPolicyArns.length >= MAX_ATTACHED) {
        throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPer${noun}: ${MAX_ATTACHED}`, 409);
      }
      target.attachedPolicyArns.push(arn);
      return undefined;
    }),
    [`Detach${noun}Policy`]: op((ctx, input) => {
      const target = holder(kind, ctx, input);
      const arn = queryString(input, 'PolicyArn', true);
      const index = target.attachedPolicyArns.indexOf(arn);
      if (index < 0) throw noSuchEntity(`Policy ${arn} was not found.`);
      target.attachedPolicyArns.splice(index, 1);
      return undefined;
    }),
    [`ListAttached${noun}Policies`]: op((ctx, input) => {
      const page = pageItems(holder(kind, ctx, input).attachedPolicyArns, input);
      return { AttachedPolicies: page.items.map(attachedPolicyOutput), IsTruncated: page.IsTruncated, Marker: page.Marker };
    }),
  };
}

/** UserName when given, else the calling user. */
function keyOwner(ctx: OperationContext, input: Record<string, unknown>): IamUser {
  if (input.UserName === undefined && ctx.caller.kind === 'user') return holder(USER, ctx, { UserName: ctx.caller.userName }) as IamUser;
  return holder(USER, ctx, input) as IamUser;
}

export const principalPolicyOperations: Record<string, Operation> = {
  ...policyOperations(USER, 'User'),
  ...policyOperations(GROUP, 'Group'),
  ListAccessKeys: {
    resource: resourceFor(USER),
    handler(ctx, input) {
      const user = keyOwner(ctx, input);
      const page = pageItems(accessKeysOf(ctx.world, user), input);
      return {
        AccessKeyMetadata: page.items.map((id) => ({ UserName: user.name, AccessKeyId: id, Status: 'Active', CreateDate: user.createDate })),
        IsTruncated: page.IsTruncated,
        Marker: page.Marker,
      };
    },
  },
  DeleteAccessKey: {
    resource: resourceFor(USER),
    handler(ctx, input) {
      const user = keyOwner(ctx, input);
      const id = queryString(input, 'AccessKeyId', true);
      if (!accessKeysOf(ctx.world, user).includes(id)) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
      ctx.world.credentials.delete(id);
      return undefined;
    },
  },
};
