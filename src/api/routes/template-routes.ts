/** Routes that download onboarding templates as text, with a filename. */
import { z } from 'zod';
import type { RenderedTemplate } from '../../core/templates/render-template.js';
import { type TemplateDeps, renderConnectionTemplate, renderIntegrationTemplate } from '../../services/template-service.js';
import { type ApiInstance, type RouteContext, actorOf } from '../route-context.js';
import { errorResponses } from '../schemas/common.js';

const params = z.strictObject({
  tenantId: z.string().min(1).max(64),
  ref: z.string().min(1).max(64),
  format: z.string().min(1).max(64).describe('cloudformation | cloudformation-json | terraform | stackset | stackset-terraform | member-cloudformation | member-terraform'),
});
const integrationQuery = z.strictObject({
  ous: z.string().max(4000).optional().describe('StackSet targets: comma-separated root or OU ids (ou-xxxx-xxxxxxxx)'),
});
const templateBody = z.string().describe('The template (YAML, JSON or Terraform), served with a content-disposition filename');

function send(reply: { header(name: string, value: string): unknown; type(value: string): unknown }, rendered: RenderedTemplate): string {
  reply.type(rendered.contentType);
  reply.header('content-disposition', `attachment; filename="${rendered.filename}"`);
  return rendered.body;
}

/** Registers the template download routes. */
export function registerTemplateRoutes(app: ApiInstance, { deps, config }: RouteContext): void {
  // The platform principal may be unset: the service checks it after the caller's access.
  const templateDeps: TemplateDeps = {
    db: deps.db,
    ...(config.platformPrincipalArn === undefined ? {} : { platformPrincipalArn: config.platformPrincipalArn }),
    ...(config.templateEvents === undefined ? {} : { events: config.templateEvents }),
  };

  app.get('/v1/tenants/:tenantId/integrations/:ref/templates/:format', {
    schema: {
      operationId: 'getIntegrationTemplate', tags: ['templates'], summary: "Download an integration's onboarding template",
      params, querystring: integrationQuery, response: { 200: templateBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const { tenantId, ref, format } = request.params;
    const rendered = await renderIntegrationTemplate(templateDeps, actorOf(request), tenantId, ref, { format, ...request.query });
    return send(reply, rendered);
  });

  app.get('/v1/tenants/:tenantId/connections/:ref/templates/:format', {
    schema: {
      operationId: 'getConnectionTemplate', tags: ['templates'], summary: "Download a standalone connection's member-account template",
      params, querystring: z.strictObject({}), response: { 200: templateBody, ...errorResponses },
    },
  }, async (request, reply) => {
    const { tenantId, ref, format } = request.params;
    return send(reply, await renderConnectionTemplate(templateDeps, actorOf(request), tenantId, ref, { format }));
  });
}
