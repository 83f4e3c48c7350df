/**
 * Stacks: creating one evaluates its template and creates its resources synchronously,
 * in dependency order, ending CREATE_COMPLETE or (after undoing what was created)
 * ROLLBACK_COMPLETE with the failing resource's reason, as AWS reports it.
 */
import { AwsError } from './aws-error.js';
import { evaluate, evaluateConditions, referencedNames, type EvaluationContext } from './cloudformation-intrinsics.js';
import { requiredCapability, resourceHandler, type ResourceContext } from './cloudformation-resources.js';
import { cloudFormationState, nowIso, worldUuid, type StackRecord, type StackResourceRecord } from './cloudformation-state.js';
import { parseTemplate, type ParameterDeclaration, type Template } from './cloudformation-template.js';
import type { World } from './world.js';

export interface CreateStackInput {
  accountId: string;
  region: string;
  stackName: string;
  templateBody: string;
  parameters?: Array<{ key: string; value?: string; usePreviousValue?: boolean }>;
  capabilities?: string[];
  tags?: Array<{ key: string; value: string }>;
  stackSetId?: string;
  /** StackSets check capabilities once for the whole set. */
  skipCapabilityCheck?: boolean;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message);
}

/** The stack a name or stack id designates; deleted stacks only by id, as in AWS. */
export function findStack(world: World, accountId: string, region: string, nameOrId: string): StackRecord | undefined {
  const { stacks } = cloudFormationState(world);
  const byId = Object.hasOwn(stacks, nameOrId) ? stacks[nameOrId] : undefined;
  if (byId) return byId.accountId === accountId && byId.region === region ? byId : undefined;
  return Object.values(stacks).find(
    (s) => s.stackName === nameOrId && s.accountId === accountId && s.region === region && s.status !== 'DELETE_COMPLETE',
  );
}

/** Live (not deleted) stacks of an account and region, in creation order. */
export function listLiveStacks(world: World, accountId: string, region: string): StackRecord[] {
  return Object.values(cloudFormationState(world).stacks).filter(
    (s) => s.accountId === accountId && s.region === region && s.status !== 'DELETE_COMPLETE',
  );
}

function patternMatches(name: string, pattern: string, value: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw validation(`Template format error: AllowedPattern of parameter ${name} is not a valid regular expression`);
  }
  return regex.test(value);
}

function resolveParameter(name: string, declaration: ParameterDeclaration, given: string | undefined): unknown {
  const raw = given ?? (declaration.Default === undefined ? undefined : String(declaration.Default));
  if (raw === undefined) throw validation(`Parameters: [${name}] must have values`);
  if (Array.isArray(declaration.AllowedValues) && !declaration.AllowedValues.map(String).includes(raw)) {
    throw validation(`Parameter '${name}' must be one of AllowedValues`);
  }
  if (typeof declaration.AllowedPattern === 'string' && !patternMatches(name, declaration.AllowedPattern, raw)) {
    throw validation(`Parameter '${name}' must match pattern ${declaration.AllowedPattern}`);
  }
  if (declaration.MinLength !== undefined && raw.length < Number(declaration.MinLength)) {
    throw validation(`Parameter '${name}' must contain at least ${declaration.MinLength} characters`);
  }
  if (declaration.MaxLength !== undefined && raw.length > Number(declaration.MaxLength)) {
    throw validation(`Parameter '${name}' must contain at most ${declaration.MaxLength} characters`);
  }
  const type = declaration.Type;
  if (type === 'Number' && (raw.trim() === '' || Number.isNaN(Number(raw)))) throw validation(`Parameter '${name}' must be a number`);
  if (type === 'CommaDelimitedList' || type.startsWith('List<')) return raw === '' ? [] : raw.split(',').map((s) => s.trim());
  return raw;
}

function resolveParameters(template: Template, given: CreateStackInput['parameters'] = []) {
  const values = new Map(given.map((p) => [p.key, p.value]));
  const unknown = [...values.keys()].filter((k) => !(k in template.parameters));
  if (unknown.length > 0) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const resolved: Record<string, unknown> = {};
  const shown: StackRecord['parameters'] = [];
  for (const [name, declaration] of Object.entries(template.parameters)) {
    const value = resolveParameter(name, declaration, values.get(name));
    resolved[name] = value;
    const noEcho = declaration.NoEcho === true || declaration.NoEcho === 'true';
    shown.push({ key: name, value: Array.isArray(value) ? value.join(',') : String(value), noEcho });
  }
  return { resolved, shown };
}

/** Resources in an order where every resource comes after those it references. */
function creationOrder(template: Template): string[] {
  const names = new Set(Object.keys(template.resources));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw validation(`Circular dependency between resources: [${path.join(', ')}]`);
    state.set(name, 'visiting');
    const resource = template.resources[name]!;
    const deps = referencedNames(resource.Properties, names);
    for (const dep of resource.DependsOn) {
      if (!names.has(dep)) throw validation(`Template format error: Unresolved resource dependencies [${dep}] in the Resources block of the template`);
      deps.add(dep);
    }
    for (const dep of deps) visit(dep, [...path, dep]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, [name]);
  return order;
}

function checkCapabilities(template: Template, capabilities: string[]): void {
  let needed: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined;
  for (const resource of Object.values(template.resources)) {
    const required = requiredCapability(resource.Type, resource.Properties);
    if (required === 'CAPABILITY_NAMED_IAM' || (required && !needed)) needed = required;
  }
  if (!needed) return;
  const ok = needed === 'CAPABILITY_IAM' ? capabilities.some((c) => c === 'CAPABILITY_IAM' || c === 'CAPABILITY_NAMED_IAM') : capabilities.includes(needed);
  if (!ok) throw new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${needed}]`);
}

/** Parses, validates parameters and capabilities: the synchronous part of CreateStack/CreateStackSet. */
export function prepareTemplate(
  templateBody: string,
  parameters: CreateStackInput['parameters'],
  capabilities: string[],
  skipCapabilities = false,
  requireParameterValues = true,
) {
  const template = parseTemplate(templateBody);
  const { resolved, shown } = requireParameterValues ? resolveParameters(template, parameters) : { resolved: {}, shown: [] };
  if (!skipCapabilities) checkCapabilities(template, capabilities);
  const order = creationOrder(template);
  return { template, resolved, shown, order };
}

function addEvent(world: World, stack: StackRecord, logicalId: string, physicalId: string, type: string, status: string, reason?: string): void {
  stack.events.push({
    eventId: worldUuid(world),
    logicalId,
    physicalId,
    resourceType: type,
    status,
    timestamp: nowIso(world),
    ...(reason === undefined ? {} : { statusReason: reason }),
  });
}

function resourceContext(world: World, stack: StackRecord, logicalId: string): ResourceContext {
  return { world, accountId: stack.accountId, region: stack.region, stackName: stack.stackName, stackId: stack.stackId, logicalId };
}

/** Deletes a stack's resources in reverse creation order; resources already gone count as deleted. */
function deleteResources(world: World, stack: StackRecord): void {
  for (const resource of [...stack.resources].reverse()) {
    if (resource.status !== 'CREATE_COMPLETE') continue;
    if (resource.deletionPolicy === 'Retain') {
      resource.status = 'DELETE_SKIPPED';
    } else {
      resourceHandler(resource.type)?.delete(resourceContext(world, stack, resource.logicalId), resource.physicalId, resource.properties);
      resource.status = 'DELETE_COMPLETE';
    }
    addEvent(world, stack, resource.logicalId, resource.physicalId, resource.type, resource.status);
  }
}

/** Fills the stack's Outputs (skipping those whose Condition is false); returns a failure reason if one cannot be evaluated. */
function evaluateOutputs(stack: StackRecord, template: Template, ctx: EvaluationContext): string | undefined {
  stack.outputs = [];
  for (const [key, output] of Object.entries(template.outputs)) {
    if (output.Condition !== undefined && !ctx.conditions[output.Condition]) continue;
    try {
      const value = evaluate(output.Value, ctx);
      const exportName = output.Export ? evaluate(output.Export.Name, ctx) : undefined;
      stack.outputs.push({
        key,
        value: Array.isArray(value) ? value.join(',') : String(value),
        ...(output.Description === undefined ? {} : { description: output.Description }),
        ...(exportName === undefined ? {} : { exportName: String(exportName) }),
      });
    } catch (error) {
      return `Output ${key} could not be evaluated: ${(error as Error).message}`;
    }
  }
  return undefined;
}

function createResources(world: World, stack: StackRecord, prepared: ReturnType<typeof prepareTemplate>): string | undefined {
  const { template, resolved, order } = prepared;
  const ctx: EvaluationContext = {
    pseudo: {
      'AWS::AccountId': stack.accountId,
      'AWS::Region': stack.region,
      'AWS::Partition': world.partition,
      'AWS::StackName': stack.stackName,
      'AWS::StackId': stack.stackId,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': [],
    },
    parameters: resolved,
    conditions: {},
    mappings: template.mappings,
    resources: {},
  };
  evaluateConditions(template.conditions, ctx);
  for (const logicalId of order) {
    const declaration = template.resources[logicalId]!;
    if (declaration.Condition !== undefined) {
      const enabled = ctx.conditions[declaration.Condition];
      if (enabled === undefined) return `Template error: unresolved condition ${declaration.Condition} on resource ${logicalId}`;
      if (!enabled) continue;
    }
    const handler = resourceHandler(declaration.Type);
    try {
      if (!handler) throw new AwsError('ValidationError', `Resource type ${declaration.Type} is not supported by the sandbox`);
      const properties = evaluate(declaration.Properties, ctx) as Record<string, unknown>;
      const created = handler.create(resourceContext(world, stack, logicalId), properties);
      ctx.resources[logicalId] = { ref: created.physicalId, attributes: created.attributes };
      const record: StackResourceRecord = {
        logicalId,
        type: declaration.Type,
        physicalId: created.physicalId,
        status: 'CREATE_COMPLETE',
        properties,
        timestamp: nowIso(world),
        ...(declaration.DeletionPolicy === undefined ? {} : { deletionPolicy: declaration.DeletionPolicy }),
      };
      stack.resources.push(record);
      addEvent(world, stack, logicalId, created.physicalId, declaration.Type, 'CREATE_COMPLETE');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const code = error instanceof AwsError ? `${error.code}: ` : '';
      addEvent(world, stack, logicalId, '', declaration.Type, 'CREATE_FAILED', `${code}${reason}`);
      return `The following resource(s) failed to create: [${logicalId}]. Rollback requested by user.`;
    }
  }
  return evaluateOutputs(stack, template, ctx);
}

/** CreateStack: validates synchronously (ValidationError...), then deploys and returns the stack. */
export function createStack(world: World, input: CreateStackInput): StackRecord {
  if (!STACK_NAME.test(input.stackName)) {
    throw validation(`1 validation error detected: Value '${input.stackName}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
  if (findStack(world, input.accountId, input.region, input.stackName)) {
    throw new AwsError('AlreadyExistsException', `Stack [${input.stackName}] already exists`);
  }
  const prepared = prepareTemplate(input.templateBody, input.parameters, input.capabilities ?? [], input.skipCapabilityCheck);
  const stackId = `arn:${world.partition}:cloudformation:${input.region}:${input.accountId}:stack/${input.stackName}/${worldUuid(world)}`;
  const stack: StackRecord = {
    stackId,
    stackName: input.stackName,
    accountId: input.accountId,
    region: input.region,
    status: 'CREATE_IN_PROGRESS',
    templateBody: input.templateBody,
    parameters: prepared.shown,
    outputs: [],
    capabilities: input.capabilities ?? [],
    tags: input.tags ?? [],
    resources: [],
    events: [],
    creationTime: nowIso(world),
    ...(prepared.template.description === undefined ? {} : { description: prepared.template.description }),
    ...(input.stackSetId === undefined ? {} : { stackSetId: input.stackSetId }),
  };
  cloudFormationState(world).stacks[stackId] = stack;
  addEvent(world, stack, stack.stackName, stackId, 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated');
  let failure: string | undefined;
  try {
    failure = createResources(world, stack, prepared);
  } catch (error) {
    failure = (error as Error).message;
  }
  if (failure === undefined) {
    stack.status = 'CREATE_COMPLETE';
  } else {
    deleteResources(world, stack);
    stack.status = 'ROLLBACK_COMPLETE';
    stack.statusReason = failure;
    stack.outputs = [];
  }
  addEvent(world, stack, stack.stackName, stackId, 'AWS::CloudFormation::Stack', stack.status, stack.statusReason);
  return stack;
}

/** DeleteStack: deletes resources (retaining those with DeletionPolicy Retain); a no-op for unknown stacks. */
export function deleteStack(world: World, stack: StackRecord): void {
  if (stack.status === 'DELETE_COMPLETE') return;
  deleteResources(world, stack);
  stack.status = 'DELETE_COMPLETE';
  delete stack.statusReason;
  stack.deletionTime = nowIso(world);
  addEvent(world, stack, stack.stackName, stack.stackId, 'AWS::CloudFormation::Stack', 'DELETE_COMPLETE');
}
