import { describe, expect, it } from 'vitest';
import { evaluate, evaluateConditions, NO_VALUE, referencedNames, type EvaluationContext } from '../src/cloudformation-intrinsics.js';
import { parseTemplate } from '../src/cloudformation-template.js';

function context(): EvaluationContext {
  return {
    pseudo: { 'AWS::AccountId': '123456789012', 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws', 'AWS::StackName': 'demo' },
    parameters: { Env: 'prod', Empty: '', Names: ['a', 'b'] },
    conditions: { IsProd: true, IsDev: false },
    mappings: { Regions: { 'eu-west-1': { Short: 'euw1' } } },
    resources: { Role: { ref: 'demo-Role-ABC', attributes: { Arn: 'arn:aws:iam::123456789012:role/demo-Role-ABC', RoleId: 'AROAX' } } },
  };
}

describe('intrinsic functions', () => {
  it.each([
    ['Ref to a parameter', { Ref: 'Env' }, 'prod'],
    ['Ref to a pseudo parameter', { Ref: 'AWS::AccountId' }, '123456789012'],
    ['Ref to a resource', { Ref: 'Role' }, 'demo-Role-ABC'],
    ['Fn::Sub with pseudo and parameters', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Env}' }, 'arn:aws:iam::123456789012:role/prod'],
    ['Fn::Sub with an attribute', { 'Fn::Sub': '${Role.Arn}' }, 'arn:aws:iam::123456789012:role/demo-Role-ABC'],
    ['Fn::Sub with variables', { 'Fn::Sub': ['${X}-${Env}', { X: { Ref: 'AWS::Region' } }] }, 'eu-west-1-prod'],
    ['Fn::Sub literal escape', { 'Fn::Sub': '${!Literal}' }, '${Literal}'],
    ['Fn::GetAtt list form', { 'Fn::GetAtt': ['Role', 'RoleId'] }, 'AROAX'],
    ['Fn::GetAtt dotted form', { 'Fn::GetAtt': 'Role.Arn' }, 'arn:aws:iam::123456789012:role/demo-Role-ABC'],
    ['Fn::Join', { 'Fn::Join': ['/', ['a', { Ref: 'Env' }, 'c']] }, 'a/prod/c'],
    ['Fn::Join over a list parameter', { 'Fn::Join': [',', { Ref: 'Names' }] }, 'a,b'],
    ['Fn::If true branch', { 'Fn::If': ['IsProd', 'yes', 'no'] }, 'yes'],
    ['Fn::If false branch', { 'Fn::If': ['IsDev', 'yes', 'no'] }, 'no'],
    ['Fn::Equals', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, true],
    ['Fn::Not', { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Empty' }, ''] }] }, false],
    ['Fn::And', { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', 'a'] }] }, true],
    ['Fn::Or', { 'Fn::Or': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'b'] }] }, false],
    ['Fn::Select and Fn::Split', { 'Fn::Select': ['1', { 'Fn::Split': [':', 'x:y:z'] }] }, 'y'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Short'] }, 'euw1'],
    ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
    ['Ref AWS::NoValue', { Ref: 'AWS::NoValue' }, NO_VALUE],
  ])('%s', (_name, expression, expected) => {
    expect(evaluate(expression, context())).toEqual(expected);
  });

  it('drops AWS::NoValue from objects and lists', () => {
    const value = { Keep: 1, Drop: { 'Fn::If': ['IsDev', 'x', { Ref: 'AWS::NoValue' }] }, List: ['a', { 'Fn::If': ['IsDev', 'b', { Ref: 'AWS::NoValue' }] }] };
    expect(evaluate(value, context())).toEqual({ Keep: 1, List: ['a'] });
  });

  it.each([
    ['an unknown Ref', { Ref: 'Nope' }, 'Unresolved resource dependencies [Nope]'],
    ['an unknown attribute', { 'Fn::GetAtt': ['Role', 'Nope'] }, 'has no attribute Nope'],
    ['an unknown condition', { 'Fn::If': ['Nope', 'a', 'b'] }, 'Unresolved condition dependency Nope'],
    ['an unsupported function', { 'Fn::ImportValue': 'x' }, 'Fn::ImportValue is not supported'],
    ['a malformed Fn::Join', { 'Fn::Join': 'x' }, 'must resolve to a list'],
  ])('rejects %s with a ValidationError', (_name, expression, message) => {
    expect(() => evaluate(expression, context())).toThrow(expect.objectContaining({ code: 'ValidationError', message: expect.stringContaining(message) }));
  });

  it('evaluates conditions that depend on other conditions, in any order', () => {
    const ctx = { ...context(), conditions: {} };
    const conditions = evaluateConditions(
      { Both: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'HasEnv' }] }, IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, HasEnv: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, ''] }] } },
      ctx,
    );
    expect(conditions).toEqual({ IsProd: true, HasEnv: true, Both: true });
    expect(() => evaluateConditions({ A: { Condition: 'B' }, B: { Condition: 'A' } }, { ...context(), conditions: {} })).toThrow(/Circular dependency/);
  });

  it('finds the resources an expression refers to', () => {
    const names = new Set(['Role', 'Policy', 'Other']);
    const value = { a: { Ref: 'Role' }, b: { 'Fn::Sub': '${Policy.Arn}-${Env}-${!Other}' }, c: { 'Fn::GetAtt': 'Role.Arn' } };
    expect([...referencedNames(value, names)].sort()).toEqual(['Policy', 'Role']);
  });
});

describe('template parsing', () => {
  it('reads YAML short forms, keeping 2012-10-17 a string', () => {
    const template = parseTemplate(
      [
        'Conditions:',
        '  C: !Equals [!Ref P, x]',
        'Parameters:',
        '  P: { Type: String }',
        'Resources:',
        '  R:',
        '    Type: AWS::IAM::Role',
        '    DependsOn: Other',
        '    Properties:',
        '      Doc: { Version: 2012-10-17 }',
        '      Arn: !GetAtt Other.Arn',
        '      Join: !Join [",", [!Ref P, !Sub "${AWS::Region}"]]',
      ].join('\n'),
    );
    expect(template.conditions).toEqual({ C: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] } });
    expect(template.resources.R).toEqual({
      Type: 'AWS::IAM::Role',
      DependsOn: ['Other'],
      Properties: { Doc: { Version: '2012-10-17' }, Arn: { 'Fn::GetAtt': ['Other', 'Arn'] }, Join: { 'Fn::Join': [',', [{ Ref: 'P' }, { 'Fn::Sub': '${AWS::Region}' }]] } },
    });
  });

  it.each([
    ['an empty body', '', 'template body is empty'],
    ['no resources', 'Parameters: {}', 'At least one Resources member must be defined.'],
    ['a resource without Type', 'Resources:\n  A: { Properties: {} }', 'must contain a Type member'],
    ['a non-alphanumeric logical id', 'Resources:\n  a-b: { Type: X }', 'is non alphanumeric'],
    ['an output without Value', 'Resources:\n  A: { Type: X }\nOutputs:\n  O: { Description: d }', 'must contain a Value'],
    ['malformed YAML', 'Resources: [', 'YAML not well-formed'],
    ['duplicate keys', 'Resources:\n  A: { Type: X }\n  A: { Type: Y }', 'YAML not well-formed'],
  ])('rejects %s', (_name, body, message) => {
    expect(() => parseTemplate(body)).toThrow(expect.objectContaining({ code: 'ValidationError', message: expect.stringContaining(message) }));
  });
});
