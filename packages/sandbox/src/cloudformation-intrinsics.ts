/**
 * Evaluating CloudFormation's intrinsic functions (Ref, Fn::Sub, Fn::GetAtt, Fn::Join,
 * Fn::If and the condition functions, Fn::Select, Fn::Split, Fn::FindInMap...) against
 * parameters, pseudo parameters and the resources created so far. Pure: no world access.
 */
import { AwsError } from './aws-error.js';

/** What `Ref` / `Fn::GetAtt` see of a resource that has been created. */
export interface ResolvedResource {
  ref: string;
  attributes: Record<string, string>;
}

export interface EvaluationContext {
  /** AWS::AccountId, AWS::Region, AWS::Partition, AWS::StackName, AWS::StackId, AWS::URLSuffix... */
  pseudo: Record<string, unknown>;
  parameters: Record<string, unknown>;
  conditions: Record<string, boolean>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
  resources: Record<string, ResolvedResource>;
}

/** Marker for `Ref: AWS::NoValue`; removed from the enclosing object or list. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

function fail(message: string): AwsError {
  return new AwsError('ValidationError', `Template error: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single `Fn::*` / Ref / Condition key of an intrinsic-function object, if it is one. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw fail(`${where} must resolve to a string`);
}

function asList(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw fail(`${where} must resolve to a list`);
}

function ref(name: string, ctx: EvaluationContext): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in ctx.pseudo) return ctx.pseudo[name];
  if (name in ctx.parameters) return ctx.parameters[name];
  const resource = ctx.resources[name];
  if (resource) return resource.ref;
  throw fail(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
}

function getAtt(args: unknown, ctx: EvaluationContext): string {
  const parts = typeof args === 'string' ? args.split('.') : asList(evaluate(args, ctx), 'Fn::GetAtt');
  const [logicalId, ...rest] = parts.map((p) => asString(p, 'Fn::GetAtt'));
  const attribute = rest.join('.');
  const resource = logicalId === undefined ? undefined : ctx.resources[logicalId];
  if (!resource) throw fail(`Fn::GetAtt refers to unknown or not yet created resource ${logicalId}`);
  const value = resource.attributes[attribute];
  if (value === undefined) throw fail(`Fn::GetAtt: resource ${logicalId} has no attribute ${attribute}`);
  return value;
}

function substitute(args: unknown, ctx: EvaluationContext): string {
  let template: string;
  let variables: Record<string, unknown> = {};
  if (typeof args === 'string') {
    template = args;
  } else {
    const list = asList(args, 'Fn::Sub');
    template = asString(list[0], 'Fn::Sub');
    const vars = list[1];
    if (vars !== undefined && !isRecord(vars)) throw fail('Fn::Sub variables must be an object');
    variables = Object.fromEntries(Object.entries(vars ?? {}).map(([k, v]) => [k, evaluate(v, ctx)]));
  }
  return template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    // `${!Literal}` writes `${Literal}` verbatim.
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (name in variables) return asString(variables[name], `Fn::Sub variable ${name}`);
    if (name.includes('.') && !name.startsWith('AWS::')) return getAtt(name, ctx);
    const value = ref(name, ctx);
    if (Array.isArray(value)) return value.join(',');
    return asString(value, `Fn::Sub \${${name}}`);
  });
}

function condition(name: unknown, ctx: EvaluationContext): boolean {
  const key = asString(name, 'Condition');
  const value = ctx.conditions[key];
  if (value === undefined) throw fail(`Unresolved condition dependency ${key}`);
  return value;
}

/** Evaluates a condition expression (Fn::Equals/Not/And/Or/Condition) to a boolean. */
export function evaluateCondition(expression: unknown, ctx: EvaluationContext): boolean {
  const value = evaluate(expression, ctx);
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw fail('a condition must evaluate to a boolean');
}

function equals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(x, b[i]));
  return String(a) === String(b);
}

type Fn = (args: unknown, ctx: EvaluationContext) => unknown;

const FUNCTIONS: Record<string, Fn> = {
  Ref: (args, ctx) => ref(asString(args, 'Ref'), ctx),
  Condition: (args, ctx) => condition(args, ctx),
  'Fn::Sub': substitute,
  'Fn::GetAtt': getAtt,
  'Fn::Join': (args, ctx) => {
    const [delimiter, list] = asList(args, 'Fn::Join');
    const items = asList(evaluate(list, ctx), 'Fn::Join list');
    return items.filter((i) => i !== NO_VALUE).map((i) => asString(i, 'Fn::Join item')).join(asString(delimiter, 'Fn::Join delimiter'));
  },
  'Fn::If': (args, ctx) => {
    const [name, whenTrue, whenFalse] = asList(args, 'Fn::If');
    return evaluate(condition(name, ctx) ? whenTrue : whenFalse, ctx);
  },
  'Fn::Equals': (args, ctx) => {
    const [a, b] = asList(args, 'Fn::Equals').map((x) => evaluate(x, ctx));
    return equals(a, b);
  },
  'Fn::Not': (args, ctx) => !evaluateCondition(asList(args, 'Fn::Not')[0], ctx),
  'Fn::And': (args, ctx) => asList(args, 'Fn::And').every((c) => evaluateCondition(c, ctx)),
  'Fn::Or': (args, ctx) => asList(args, 'Fn::Or').some((c) => evaluateCondition(c, ctx)),
  'Fn::Select': (args, ctx) => {
    const [index, list] = asList(args, 'Fn::Select');
    const items = asList(evaluate(list, ctx), 'Fn::Select list');
    const i = Number(evaluate(index, ctx));
    if (!Number.isInteger(i) || i < 0 || i >= items.length) throw fail('Fn::Select index out of bounds');
    return items[i];
  },
  'Fn::Split': (args, ctx) => {
    const [delimiter, source] = asList(args, 'Fn::Split');
    return asString(evaluate(source, ctx), 'Fn::Split source').split(asString(delimiter, 'Fn::Split delimiter'));
  },
  'Fn::Base64': (args, ctx) => Buffer.from(asString(evaluate(args, ctx), 'Fn::Base64')).toString('base64'),
  'Fn::FindInMap': (args, ctx) => {
    const [map, top, second] = asList(args, 'Fn::FindInMap').map((x) => asString(evaluate(x, ctx), 'Fn::FindInMap'));
    const value = ctx.mappings[map!]?.[top!]?.[second!];
    if (value === undefined) throw fail(`Fn::FindInMap: no value for [${map}, ${top}, ${second}]`);
    return value;
  },
  'Fn::GetAZs': (args, ctx) => {
    const region = asString(evaluate(args, ctx), 'Fn::GetAZs') || String(ctx.pseudo['AWS::Region']);
    return ['a', 'b', 'c'].map((suffix) => `${region}${suffix}`);
  },
  'Fn::ToJsonString': (args, ctx) => JSON.stringify(evaluate(args, ctx)),
  'Fn::Length': (args, ctx) => asList(evaluate(args, ctx), 'Fn::Length').length,
};

/** Evaluates every intrinsic function inside `value`, dropping AWS::NoValue entries. */
export function evaluate(value: unknown, ctx: EvaluationContext): unknown {
  const name = intrinsicName(value);
  if (name !== undefined) {
    const fn = FUNCTIONS[name];
    if (!fn) throw fail(`${name} is not supported by the sandbox`);
    return fn((value as Record<string, unknown>)[name], ctx);
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, ctx)).filter((v) => v !== NO_VALUE);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const evaluated = evaluate(v, ctx);
      if (evaluated !== NO_VALUE) out[key] = evaluated;
    }
    return out;
  }
  return value;
}

/** Evaluates the Conditions section in dependency order (conditions may reference others). */
export function evaluateConditions(conditions: Record<string, unknown>, ctx: EvaluationContext): Record<string, boolean> {
  const pending = new Set(Object.keys(conditions));
  const visiting = new Set<string>();
  const resolve = (name: string): void => {
    if (!pending.has(name)) return;
    if (visiting.has(name)) throw fail(`Circular dependency between conditions: ${name}`);
    visiting.add(name);
    for (const dep of conditionReferences(conditions[name])) {
      if (!(dep in conditions)) throw fail(`Unresolved condition dependency ${dep} in Fn::If or Condition`);
      resolve(dep);
    }
    ctx.conditions[name] = evaluateCondition(conditions[name], ctx);
    pending.delete(name);
    visiting.delete(name);
  };
  for (const name of Object.keys(conditions)) resolve(name);
  return ctx.conditions;
}

function conditionReferences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) conditionReferences(v, out);
  } else if (isRecord(value)) {
    if (intrinsicName(value) === 'Condition' && typeof value.Condition === 'string') out.push(value.Condition);
    for (const v of Object.values(value)) conditionReferences(v, out);
  }
  return out;
}

/** Logical ids of `candidates` that `value` refers to through Ref, Fn::GetAtt or Fn::Sub. */
export function referencedNames(value: unknown, candidates: Set<string>, out = new Set<string>()): Set<string> {
  const add = (name: string): void => {
    if (candidates.has(name)) out.add(name);
  };
  if (Array.isArray(value)) {
    for (const v of value) referencedNames(v, candidates, out);
    return out;
  }
  if (!isRecord(value)) return out;
  const name = intrinsicName(value);
  const args = name === undefined ? undefined : value[name];
  if (name === 'Ref' && typeof args === 'string') add(args);
  if (name === 'Fn::GetAtt') {
    const first = typeof args === 'string' ? args.split('.')[0] : Array.isArray(args) ? args[0] : undefined;
    if (typeof first === 'string') add(first);
  }
  if (name === 'Fn::Sub') {
    const text = typeof args === 'string' ? args : Array.isArray(args) ? args[0] : undefined;
    if (typeof text === 'string') {
      for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) add(match[1]!.trim().split('.')[0]!);
    }
  }
  for (const v of Object.values(value)) referencedNames(v, candidates, out);
  return out;
}
