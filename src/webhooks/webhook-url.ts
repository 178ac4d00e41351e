import { lookup } from 'node:dns/promises';
import { badInput } from '../errors';
import { isIpLiteral, refusal } from './address-policy';

export const MAX_URL_LENGTH = 2000;

export interface UrlRules {
  isProduction: boolean;
  allowPrivate: boolean;
}

/**
 * A webhook URL as registered: http(s) (https in production), no credentials, in production
 * only the ports 80, 443 and 8000-65535, and a host that is not, and does not currently
 * resolve to, a refused address. BAD_USER_INPUT on `field` otherwise. Delivery checks the
 * resolved addresses again at every attempt.
 */
export async function assertWebhookUrl(raw: string, rules: UrlRules, field: string): Promise<URL> {
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) throw badInput(field, `The URL may be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(field, 'Not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(field, 'The URL must start with https:// (or http://)');
  if (rules.isProduction && url.protocol !== 'https:') throw badInput(field, 'Webhook URLs must use https');
  if (url.username || url.password) throw badInput(field, 'The URL must not contain credentials; the signature authenticates deliveries');
  if (url.hash) throw badInput(field, 'The URL must not contain a fragment');
  if (rules.isProduction && url.port !== '') {
    const port = Number(url.port);
    if (!(port === 80 || port === 443 || (port >= 8000 && port <= 65535))) {
      throw badInput(field, 'The port must be 80, 443 or between 8000 and 65535');
    }
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIpLiteral(host)) {
    const why = refusal(host, rules.allowPrivate);
    if (why) throw badInput(field, `The URL may not point at ${why}`);
    return url;
  }
  if (/(^|\.)localhost\.?$/i.test(host) && !rules.allowPrivate) throw badInput(field, 'The URL may not point at localhost');
  let addresses: { address: string }[] = [];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    // Not resolvable now: nothing to refuse yet; every delivery resolves and checks again.
    return url;
  }
  for (const { address } of addresses) {
    const why = refusal(address, rules.allowPrivate);
    if (why) throw badInput(field, `The URL's host resolves to ${why}`);
  }
  return url;
}
