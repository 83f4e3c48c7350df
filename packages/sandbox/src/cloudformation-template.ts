/**
 * Parsing a CloudFormation template body (JSON, or YAML with the short-form tags
 * `!Ref`, `!Sub`, `!GetAtt`...) into its sections. Structural problems become the
 * same synchronous `ValidationError: Template format error: ...` AWS answers with.
 */
import { parse } from 'yaml';
import type { Tags } from 'yaml';
import { AwsError } from './aws-error.js';

export interface ParameterDeclaration {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  NoEcho?: boolean | string;
  Description?: string;
}

export interface ResourceDeclaration {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
  DependsOn: string[];
  DeletionPolicy?: string;
}

export interface OutputDeclaration {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name: unknown };
}

export interface Template {
  description?: string;
  parameters: Record<string, ParameterDeclaration>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
  conditions: Record<string, unknown>;
  resources: Record<string, ResourceDeclaration>;
  outputs: Record<string, OutputDeclaration>;
}

const SHORT_FORMS = [
  'Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'Select', 'Split',
  'Base64', 'FindInMap', 'GetAZs', 'ImportValue', 'Cidr', 'Length', 'ToJsonString',
];

/** YAML tags for CloudFormation's short forms: `!Sub x` becomes `{ 'Fn::Sub': x }`. */
function shortFormTags(): Tags {
  const tags: Tags = [];
  for (const name of SHORT_FORMS) {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    tags.push({
      tag: `!${name}`,
      // `!GetAtt Role.Arn` is the dotted scalar form of `Fn::GetAtt: [Role, Arn]`.
      resolve: (value: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(value) : value }),
    });
    tags.push({ tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) });
    tags.push({ tag: `!${name}`, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) });
  }
  return tags;
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

const TAGS = shortFormTags();

function formatError(message: string): AwsError {
  return new AwsError('ValidationError', `Template format error: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the raw text; JSON first (the common machine-written case), then YAML 1.2 core. */
function parseBody(body: string): unknown {
  const trimmed = body.trim();
  if (trimmed === '') throw formatError('template body is empty');
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      // Fall through: YAML flow mappings also start with '{'.
    }
  }
  try {
    // The core schema keeps `2012-10-17` a string, as CloudFormation does.
    return parse(body, { customTags: TAGS, schema: 'core', uniqueKeys: true });
  } catch (error) {
    throw formatError(`YAML not well-formed. ${(error as Error).message.split('\n')[0]}`);
  }
}

function section<T>(doc: Record<string, unknown>, name: string): Record<string, T> {
  const value = doc[name];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw formatError(`${name} must be an object`);
  return value as Record<string, T>;
}

function parseResource(logicalId: string, raw: unknown): ResourceDeclaration {
  if (!isRecord(raw)) throw formatError(`[/Resources/${logicalId}] resource definition is malformed`);
  if (typeof raw.Type !== 'string' || raw.Type === '') {
    throw formatError(`[/Resources/${logicalId}] Every Resources object must contain a Type member.`);
  }
  const properties = raw.Properties ?? {};
  if (!isRecord(properties)) throw formatError(`[/Resources/${logicalId}/Properties] must be an object`);
  const dependsOn = raw.DependsOn === undefined ? [] : Array.isArray(raw.DependsOn) ? raw.DependsOn : [raw.DependsOn];
  if (!dependsOn.every((d): d is string => typeof d === 'string')) {
    throw formatError(`[/Resources/${logicalId}/DependsOn] must be a string or a list of strings`);
  }
  const declaration: ResourceDeclaration = { Type: raw.Type, Properties: properties, DependsOn: dependsOn };
  if (typeof raw.Condition === 'string') declaration.Condition = raw.Condition;
  if (typeof raw.DeletionPolicy === 'string') declaration.DeletionPolicy = raw.DeletionPolicy;
  return declaration;
}

/** Parses and structurally validates a template body; throws ValidationError like AWS. */
export function parseTemplate(body: string): Template {
  const doc = parseBody(body);
  if (!isRecord(doc)) throw formatError('template must be a JSON or YAML object');
  const rawResources = section<unknown>(doc, 'Resources');
  if (Object.keys(rawResources).length === 0) throw formatError('At least one Resources member must be defined.');
  const resources: Record<string, ResourceDeclaration> = {};
  for (const [logicalId, raw] of Object.entries(rawResources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId)) throw formatError(`Resource name ${logicalId} is non alphanumeric.`);
    resources[logicalId] = parseResource(logicalId, raw);
  }
  const parameters = section<ParameterDeclaration>(doc, 'Parameters');
  for (const [name, declaration] of Object.entries(parameters)) {
    if (!isRecord(declaration) || typeof declaration.Type !== 'string') {
      throw formatError(`[/Parameters/${name}] Every Parameters object must contain a Type member.`);
    }
  }
  const outputs = section<OutputDeclaration>(doc, 'Outputs');
  for (const [name, declaration] of Object.entries(outputs)) {
    if (!isRecord(declaration) || !('Value' in declaration)) {
      throw formatError(`[/Outputs/${name}] Every Outputs member must contain a Value object`);
    }
  }
  const template: Template = {
    parameters,
    mappings: section(doc, 'Mappings'),
    conditions: section(doc, 'Conditions'),
    resources,
    outputs,
  };
  if (typeof doc.Description === 'string') template.description = doc.Description;
  return template;
}
