import type { IncomingMessage } from 'node:http';

/** A Host header we are willing to repeat inside a header value (no spaces, semicolons or commas). */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The pages' policy: everything from this server only. 'self' in connect-src
 * covers ws(s) of the same host in current browsers; the explicit ws:/wss:
 * sources say so to older ones. Fonts and images also as data: URIs (GraphiQL's
 * stylesheet embeds its fonts and icons that way; nothing leaves the page).
 */
export function contentSecurityPolicy(req: IncomingMessage): string {
  const host = req.headers.host;
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every page of ours carries. */
export function pageHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(req),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}
