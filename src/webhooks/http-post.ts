import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIpLiteral, refusal } from './address-policy';

export interface PostResult {
  /** The HTTP status, or null when no response arrived (refused address, network error, timeout). */
  status: number | null;
  error: string | null;
  /** The address was refused by the SSRF rules: not a failure of the receiver. */
  refused: boolean;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Response bytes read at most; the rest is not read (the connection is closed). */
  maxResponseBytes: number;
  allowPrivate: boolean;
}

class RefusedAddress extends Error {}

/**
 * A lookup that resolves every address of the name and refuses them all if any is refused,
 * so the connection goes to an address that was checked in this very attempt (no window
 * for DNS to answer differently between the check and the connect).
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true, family: options.family }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      for (const { address } of addresses) {
        const why = refusal(address, allowPrivate);
        if (why) return callback(new RefusedAddress(`${hostname} resolves to ${why}`), '', 4);
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * One POST: no redirects followed (a 3xx is an answer like any other), at most
 * `timeoutMs` for everything from connect to the last byte read, and no more than
 * `maxResponseBytes` of the response read. Never throws.
 */
export function postOnce(url: URL, options: PostOptions): Promise<PostResult> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIpLiteral(host)) {
    const why = refusal(host, options.allowPrivate);
    if (why) return Promise.resolve({ status: null, error: `refused: ${why}`, refused: true });
  }
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
      lookup: checkedLookup(options.allowPrivate),
      agent: false, // a fresh, freshly checked connection per attempt
    });
    const timer = setTimeout(() => finish({ status: null, error: `no complete answer within ${options.timeoutMs} ms`, refused: false }), options.timeoutMs);
    request.on('error', (error) => {
      const refused = error instanceof RefusedAddress;
      finish({ status: null, error: refused ? `refused: ${error.message}` : error.message || String(error), refused });
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= options.maxResponseBytes) finish({ status, error: null, refused: false });
      });
      response.on('end', () => finish({ status, error: null, refused: false }));
      response.on('error', () => finish({ status, error: null, refused: false }));
    });
    request.end(options.body);
  });
}
