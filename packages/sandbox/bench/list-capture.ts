/**
 * Records real, SDK-signed Organizations List requests for list-throughput-raw.ts to
 * replay. The real OrganizationsClient pages the sandbox's tree once through a request
 * handler that copies every request it sends after signing, so the replayed requests are
 * byte for byte what the SDK sends (SigV4 headers, JSON 1.1 body, X-Amz-Target, valid
 * NextTokens). The sandbox accepts signing times 15 minutes off, so they replay for that long.
 */
import { Agent } from 'node:http';
import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];

/** One signed request, ready to write to a socket again. */
export interface CapturedRequest {
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface CaptureOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** How many OUs below the root to list accounts and child OUs of (first pages only). */
  ous?: number;
  /** Pages of ListAccounts to keep (the whole listing is 500 pages of 20). */
  listAccountsPages?: number;
}

/** Pages the organization with the real SDK and returns the signed requests it sent, all answered 200. */
export async function captureListRequests(options: CaptureOptions): Promise<CapturedRequest[]> {
  const captured: CapturedRequest[] = [];
  const inner = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 4 }) });
  const requestHandler = {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest, handlerOptions?: HttpHandlerOptions) {
      const target = request.headers['x-amz-target'] ?? '';
      captured.push({
        operation: target.slice(target.lastIndexOf('.') + 1),
        method: request.method,
        path: request.path + queryString(request.query),
        headers: { ...request.headers },
        body: bodyText(request.body),
      });
      const out = await inner.handle(request, handlerOptions);
      if (out.response.statusCode !== 200) throw new Error(`capture: ${target} answered ${out.response.statusCode}`);
      return out;
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => inner.destroy(),
  };
  const client = new OrganizationsClient({ endpoint: options.endpoint, region: options.region, credentials: options.credentials, maxAttempts: 1, requestHandler });
  try {
    const root = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    const parents = [root];
    for await (const page of paginateListOrganizationalUnitsForParent({ client, pageSize: 20 }, { ParentId: root })) {
      for (const ou of page.OrganizationalUnits ?? []) parents.push(ou.Id!);
    }
    for await (const page of paginateListAccountsForParent({ client, pageSize: 20 }, { ParentId: root })) void page;
    for (const ou of parents.slice(1, 1 + (options.ous ?? 40))) {
      await client.send(new ListAccountsForParentCommand({ ParentId: ou, MaxResults: 20 }));
      await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: ou, MaxResults: 20 }));
    }
    let pages = 0;
    const wanted = options.listAccountsPages ?? 100;
    for await (const page of paginateListAccounts({ client, pageSize: 20 }, {})) {
      void page;
      if (++pages >= wanted) break;
    }
    // One plain ListAccounts without paging fields, as a first call would send.
    await client.send(new ListAccountsCommand({}));
  } finally {
    client.destroy();
  }
  return captured;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new Error('capture: the SDK sent a streaming body');
}

function queryString(query: HttpRequest['query']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(v === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
