import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for /graphql: only the configured origins get Access-Control headers
 * (preflight included), never credentials: tokens travel in the Authorization
 * header, so no cookie is ever needed. Same-origin pages need none of this.
 */
export function graphqlCors(allowedOrigins: readonly string[]): RequestHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowedOrigins.includes(origin)),
    credentials: false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
}

/**
 * Browsers send any page's websocket to any server with the page's Origin, and no
 * CORS rule applies to it: the server must refuse foreign pages itself. Allowed:
 * the configured origins, the server's own origin (its Host), and clients that send
 * no Origin at all (apps, scripts and servers; no browser omits it).
 */
export function websocketOriginAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  const host = req.headers.host?.toLowerCase();
  try {
    const url = new URL(origin);
    return host !== undefined && ['http:', 'https:'].includes(url.protocol) && url.host === host;
  } catch {
    return false; // "null" (sandboxed frames, files) and anything malformed
  }
}
