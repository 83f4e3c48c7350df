/**
 * The sandbox's HTTP server (node:http): AWS API requests go through the request
 * pipeline, `/_sandbox/*` goes to the control API. Binds 127.0.0.1 unless told
 * otherwise, caps request bodies, and holds delayed responses on timers that close()
 * cancels, so a server never keeps a test process alive.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControlRequest } from './control-api.js';
import { createCallCounters } from './realism/counters.js';
import type { CallCounters } from './realism/counters.js';
import { createRealism } from './realism/realism.js';
import type { Realism } from './realism/realism.js';
import { handleAwsRequest, tooLargeResponse } from './request-pipeline.js';
import type { ServiceDefinition } from './service.js';
import type { World } from './world.js';

export interface SandboxServerOptions {
  world: World;
  services: ServiceDefinition[];
  /** Initial realism settings (a RealismUpdate); all realism is off when omitted. */
  realism?: unknown;
  host?: string;
  port?: number;
  /** When set, /_sandbox/* (except health) needs `Authorization: Bearer <controlToken>`. */
  controlToken?: string;
  /** Called with unexpected handler errors (answered as InternalFailure); default console.error. */
  onInternalError?: (error: unknown) => void;
}

export interface SandboxServer {
  /** `http://127.0.0.1:<port>` — what AWS_ENDPOINT_URL should be. */
  endpoint: string;
  port: number;
  realism: Realism;
  counters: CallCounters;
  close(): Promise<void>;
}

/** Largest request body accepted; CloudFormation template bodies are at most 51,200 bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Starts a sandbox server and resolves once it listens. */
export async function createSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const host = options.host ?? '127.0.0.1';
  const realism = createRealism(options.realism);
  const counters = createCallCounters();
  const timers = new Set<NodeJS.Timeout>();
  const onInternalError = options.onInternalError ?? ((error: unknown) => console.error('sandbox: internal error', error));

  const deps = { world: options.world, services: options.services, realism, counters, onInternalError };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, tooLarge } = await readBody(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      const reply = handleControlRequest(
        { method: req.method ?? 'GET', path, authorization: req.headers.authorization, body },
        { world: options.world, realism, counters, controlToken: options.controlToken },
      );
      send(res, reply.status, { 'content-type': 'application/json' }, JSON.stringify(reply.body), 0);
      return;
    }
    const request = {
      method: req.method ?? 'GET',
      path,
      query: q < 0 ? '' : url.slice(q + 1),
      rawHeaders: req.rawHeaders,
      body: tooLarge ? Buffer.alloc(0) : body,
      contentType: req.headers['content-type'] ?? '',
      target: headerValue(req.headers['x-amz-target']),
    };
    const response = tooLarge ? tooLargeResponse(request) : await handleAwsRequest(request, deps);
    send(res, response.status, response.headers, response.body, response.delayMs);
  }

  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    serve(req, res).catch((error: unknown) => {
      onInternalError(error);
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ __type: 'InternalFailure', message: 'internal error' }), 0);
    });
  });

  function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string, delayMs: number): void {
    const write = (): void => {
      if (res.destroyed) return;
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    };
    if (delayMs <= 0) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, delayMs);
    timers.add(timer);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const endpointHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    endpoint: `http://${endpointHost}:${address.port}`,
    port: address.port,
    realism,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining past the cap so the client is not left blocked mid-upload.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge: size > MAX_BODY_BYTES }));
    req.on('error', reject);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
