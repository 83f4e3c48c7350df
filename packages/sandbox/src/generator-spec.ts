/**
 * The org generator's input: either parameters (how many accounts and OUs, how deep,
 * which share is blocked) or a YAML/JSON spec naming the OU tree and its accounts.
 * Both are validated here, with messages that name the offending field, and turned into
 * one plan: a tree of OUs and accounts that generator.ts applies to a world.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export type BlockedKind = 'missing-role' | 'wrong-external-id';

const accountIdSchema = z.string().regex(/^\d{12}$/, 'must be 12 digits');

const accountSpecSchema = z
  .object({
    name: z.string().min(1).max(50),
    email: z.string().min(6).max(64).optional(),
    id: accountIdSchema.optional(),
    /** true lets the seed pick the kind. */
    blocked: z.union([z.boolean(), z.enum(['missing-role', 'wrong-external-id'])]).optional(),
    state: z.enum(['ACTIVE', 'SUSPENDED']).optional(),
    joinedMethod: z.enum(['CREATED', 'INVITED']).optional(),
  })
  .strict();

export type AccountSpec = z.infer<typeof accountSpecSchema>;

export interface OuSpec {
  name: string;
  accounts?: AccountSpec[];
  ous?: OuSpec[];
}

const ouSpecSchema: z.ZodType<OuSpec> = z.lazy(() =>
  z
    .object({
      name: z.string().min(1).max(128),
      accounts: z.array(accountSpecSchema).optional(),
      ous: z.array(ouSpecSchema).optional(),
    })
    .strict(),
);

const specSchema = z
  .object({
    seed: z.number().int().optional(),
    externalId: z.string().min(2).max(1224).optional(),
    platformAccountId: accountIdSchema.optional(),
    memberRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/).optional(),
    discoveryRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/).optional(),
    management: z.object({ name: z.string().min(1).max(50).optional(), email: z.string().min(6).max(64).optional(), id: accountIdSchema.optional() }).strict().optional(),
    root: z.object({ accounts: z.array(accountSpecSchema).optional(), ous: z.array(ouSpecSchema).optional() }).strict(),
  })
  .strict();

/** A spec file's content: the OU tree with named accounts, plus optional identity settings. */
export type OrganizationSpec = z.infer<typeof specSchema>;

/** Parameters for a random-but-seeded organization. */
export interface OrganizationParameters {
  /** Accounts in the organization, the management account included (default 12). */
  accounts?: number;
  /** OUs (default 4). */
  ous?: number;
  /** Deepest OU level, 1..5 (default min(3, ous)). */
  depth?: number;
  /** Share of member accounts that are blocked, 0..1 (default 0). */
  blocked?: number;
}

/** Raised for a spec or parameters that cannot build an organization. */
export class GeneratorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorInputError';
  }
}

/** Parses and validates a YAML or JSON spec (JSON is YAML, so one parser reads both). */
export function parseOrganizationSpec(text: string, source = 'spec'): OrganizationSpec {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new GeneratorInputError(`${source}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  return validateOrganizationSpec(raw, source);
}

/** Validates an already-parsed spec object. */
export function validateOrganizationSpec(raw: unknown, source = 'spec'): OrganizationSpec {
  const result = specSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new GeneratorInputError(`${source} is invalid: ${issues.join('; ')}`);
  }
  const depth = maxDepth(result.data.root.ous ?? [], 1);
  if (depth > 5) throw new GeneratorInputError(`${source} is invalid: OUs nest ${depth} levels deep; AWS allows 5`);
  return result.data;
}

function maxDepth(ous: OuSpec[], level: number): number {
  let deepest = ous.length > 0 ? level : level - 1;
  for (const ou of ous) deepest = Math.max(deepest, maxDepth(ou.ous ?? [], level + 1));
  return deepest;
}

function integerIn(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new GeneratorInputError(`${name} must be an integer from ${min} to ${max} (got ${value})`);
  return value;
}

/** Checks parameters and fills in defaults. */
export function normalizeParameters(params: OrganizationParameters): Required<OrganizationParameters> {
  const accounts = integerIn('accounts', params.accounts, 12, 1, 50_000);
  const ous = integerIn('ous', params.ous, 4, 0, 2000);
  const depth = integerIn('depth', params.depth, Math.min(3, Math.max(ous, 1)), 1, 5);
  const blocked = params.blocked ?? 0;
  if (typeof blocked !== 'number' || !(blocked >= 0 && blocked <= 1)) throw new GeneratorInputError(`blocked must be a fraction from 0 to 1 (got ${blocked})`);
  return { accounts, ous, depth: Math.min(depth, Math.max(ous, 1)), blocked };
}
