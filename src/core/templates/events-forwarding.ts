/**
 * The optional EventBridge part of the management-account templates: forward the
 * Organizations events orglink applies to the integration's event endpoint.
 *   Connection (API_KEY auth: X-Orglink-Event-Key) → ApiDestination (the endpoint URL, POST)
 *   ← Rule on the default bus (source aws.organizations, both CloudTrail detail-types, the
 *     handled event names), invoking the destination through a role EventBridge assumes.
 * Organizations delivers its events only in its home region (us-east-1 for the aws partition),
 * so the CloudFormation resources carry a condition on that region and the Terraform ones an
 * aliased provider pinned to it.
 */
import type { Partition } from '../arn.js';
import { EVENT_KEY_HEADER } from '../events/event-signature.js';
import { HANDLED_EVENT_NAMES, ORGANIZATIONS_DETAIL_TYPES, ORGANIZATIONS_EVENT_SOURCE } from '../events/organizations-event.js';
import { InputError } from '../errors.js';
import { hclJsonencode, hclString } from './hcl.js';
import { HANDLE_TAG_KEY } from './role-model.js';

/** What a template needs to forward events: the integration's endpoint and its event key. */
export interface TemplateEventsInput {
  /** https://…/v1/events/aws/<integration id> */
  endpointUrl: string;
  /** base64url event key (see src/core/events/event-signature.ts). */
  eventKey: string;
}

/** Where Organizations publishes its events, per partition. */
export const ORGANIZATIONS_EVENTS_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** Requests per second EventBridge may send to the endpoint (Organizations changes are rare). */
export const EVENTS_INVOCATION_RATE = 10;

const ENDPOINT_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/;
const EVENT_KEY = /^[A-Za-z0-9_-]{43}$/;

/** Refuses endpoint URLs and keys a template cannot carry (EventBridge only calls HTTPS endpoints). */
export function checkTemplateEventsInput(events: TemplateEventsInput): void {
  if (!ENDPOINT_URL.test(events.endpointUrl)) {
    throw new InputError('event_endpoint_invalid', `Event endpoint '${events.endpointUrl}' is not an https:// URL EventBridge can call`, {
      field: 'events.endpointUrl',
    });
  }
  if (!EVENT_KEY.test(events.eventKey)) {
    throw new InputError('event_key_invalid', 'The event key must be 43 base64url characters', { field: 'events.eventKey' });
  }
}

/** The EventBridge rule's event pattern. */
export function organizationsEventPattern() {
  return {
    source: [ORGANIZATIONS_EVENT_SOURCE],
    'detail-type': [...ORGANIZATIONS_DETAIL_TYPES],
    detail: { eventName: [...HANDLED_EVENT_NAMES] },
  };
}

/** The trust policy of the role EventBridge assumes to call the API destination. */
export function eventsRoleTrustPolicy() {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

const names = (handle: string) => ({
  role: `orglink-${handle}-events`,
  connection: `orglink-${handle}-events`,
  destination: `orglink-${handle}-events`,
  rule: `orglink-${handle}-organizations`,
});

const CONDITION = 'InOrganizationsEventsRegion';

/** CloudFormation Parameters, Conditions, Resources and Outputs to merge into the management stack. */
export function cloudFormationEventsPart(handle: string, partition: Partition, events: TemplateEventsInput) {
  const region = ORGANIZATIONS_EVENTS_REGION[partition];
  const n = names(handle);
  const getArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  return {
    Parameters: {
      OrglinkEventKey: {
        Type: 'String',
        NoEcho: true,
        Description: `The integration's event key, sent as ${EVENT_KEY_HEADER}. Rotate it in orglink, then update the stack with the new value.`,
        Default: events.eventKey,
      },
    },
    Conditions: { [CONDITION]: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, region] } },
    Resources: {
      OrglinkEventsConnection: {
        Type: 'AWS::Events::Connection',
        Condition: CONDITION,
        Properties: {
          Name: n.connection,
          Description: `orglink ${handle}: authenticates forwarded Organizations events`,
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: EVENT_KEY_HEADER, ApiKeyValue: { Ref: 'OrglinkEventKey' } } },
        },
      },
      OrglinkEventsDestination: {
        Type: 'AWS::Events::ApiDestination',
        Condition: CONDITION,
        Properties: {
          Name: n.destination,
          Description: `orglink ${handle}: the integration's event endpoint`,
          ConnectionArn: getArn('OrglinkEventsConnection'),
          InvocationEndpoint: events.endpointUrl,
          HttpMethod: 'POST',
          InvocationRateLimitPerSecond: EVENTS_INVOCATION_RATE,
        },
      },
      OrglinkEventsRole: {
        Type: 'AWS::IAM::Role',
        Condition: CONDITION,
        Properties: {
          RoleName: n.role,
          Description: `orglink ${handle}: lets EventBridge call the orglink event endpoint`,
          AssumeRolePolicyDocument: eventsRoleTrustPolicy(),
          Policies: [
            {
              PolicyName: 'orglink-invoke-api-destination',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: getArn('OrglinkEventsDestination') }],
              },
            },
          ],
          Tags: [{ Key: HANDLE_TAG_KEY, Value: handle }],
        },
      },
      OrglinkOrganizationsRule: {
        Type: 'AWS::Events::Rule',
        Condition: CONDITION,
        Properties: {
          Name: n.rule,
          Description: `orglink ${handle}: forward AWS Organizations changes to orglink`,
          State: 'ENABLED',
          EventPattern: organizationsEventPattern(),
          Targets: [{ Id: 'orglink', Arn: getArn('OrglinkEventsDestination'), RoleArn: getArn('OrglinkEventsRole') }],
        },
      },
    },
    Outputs: {
      EventForwarding: {
        Description: 'Whether Organizations events are forwarded to orglink from this stack.',
        Value: {
          'Fn::If': [CONDITION, 'enabled', `not created: deploy this stack in ${region}, where AWS Organizations publishes its events`],
        },
      },
    },
  };
}

/** Terraform blocks that forward events, appended to the management role file. */
export function terraformEventsPart(handle: string, partition: Partition, events: TemplateEventsInput): string {
  const region = ORGANIZATIONS_EVENTS_REGION[partition];
  const n = names(handle);
  return `# Forward AWS Organizations changes to orglink. Organizations publishes its events in ${region}
# only, so these resources use a provider pinned to that region.
provider "aws" {
  alias  = "organizations_events"
  region = ${hclString(region)}
}

variable "orglink_event_key" {
  description = "The integration's event key, sent as ${EVENT_KEY_HEADER}. Rotate it in orglink, then apply with the new value."
  type        = string
  sensitive   = true
  default     = ${hclString(events.eventKey)}
}

resource "aws_cloudwatch_event_connection" "orglink_events" {
  provider           = aws.organizations_events
  name               = ${hclString(n.connection)}
  description        = ${hclString(`orglink ${handle}: authenticates forwarded Organizations events`)}
  authorization_type = "API_KEY"
  auth_parameters {
    api_key {
      key   = ${hclString(EVENT_KEY_HEADER)}
      value = var.orglink_event_key
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "orglink_events" {
  provider                         = aws.organizations_events
  name                             = ${hclString(n.destination)}
  description                      = ${hclString(`orglink ${handle}: the integration's event endpoint`)}
  invocation_endpoint              = ${hclString(events.endpointUrl)}
  http_method                      = "POST"
  invocation_rate_limit_per_second = ${EVENTS_INVOCATION_RATE}
  connection_arn                   = aws_cloudwatch_event_connection.orglink_events.arn
}

resource "aws_iam_role" "orglink_events" {
  name               = ${hclString(n.role)}
  description        = ${hclString(`orglink ${handle}: lets EventBridge call the orglink event endpoint`)}
  assume_role_policy = ${hclJsonencode(eventsRoleTrustPolicy(), 2)}
  tags = {
    ${hclString(HANDLE_TAG_KEY)} = ${hclString(handle)}
  }
}

resource "aws_iam_role_policy" "orglink_events" {
  name = "orglink-invoke-api-destination"
  role = aws_iam_role.orglink_events.id
  policy = jsonencode({
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": "events:InvokeApiDestination",
        "Resource": aws_cloudwatch_event_api_destination.orglink_events.arn
      }
    ]
  })
}

resource "aws_cloudwatch_event_rule" "orglink_organizations" {
  provider      = aws.organizations_events
  name          = ${hclString(n.rule)}
  description   = ${hclString(`orglink ${handle}: forward AWS Organizations changes to orglink`)}
  event_pattern = ${hclJsonencode(organizationsEventPattern(), 2)}
}

resource "aws_cloudwatch_event_target" "orglink_organizations" {
  provider  = aws.organizations_events
  rule      = aws_cloudwatch_event_rule.orglink_organizations.name
  target_id = "orglink"
  arn       = aws_cloudwatch_event_api_destination.orglink_events.arn
  role_arn  = aws_iam_role.orglink_events.arn
}
`;
}
