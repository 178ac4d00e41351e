import { isValidTimezone } from './domain/zone-time';

/** Everything the process reads from its environment, validated in one place. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** Connections in this instance's pool; also how many GraphQL HTTP requests execute at once. */
  databasePoolSize: number;
  dataDir: string;
  jwtSecret: string | null;
  /** Operator tokens printed by the admin CLI. */
  jwtTtl: string;
  /** Signed-in people's access tokens (JWT) and refresh tokens. */
  accessTokenTtl: string;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  /** Express's `trust proxy`: whether (and which) X-Forwarded-For hops count for the client IP. */
  trustProxy: boolean | number | string[];
  /** An identity provider whose RS256/ES256 tokens are accepted; null when not configured. */
  identityProvider: { jwksUrl: string; issuer: string; audience: string } | null;
  cronSecret: string | null;
  cronSchedule: string;
  cronEnabled: boolean;
  generationHorizonWeeks: number;
  studioTimezone: string;
  logLevel: string;
  nodeEnv: string;
  isProduction: boolean;
  introspection: boolean;
  /** Bearer token GET /metrics requires; null = open (keep the port private then). */
  metricsToken: string | null;
  /** Webhook URLs may point at loopback and private networks (tests, on-premises receivers). */
  webhookAllowPrivate: boolean;
  /** Delays before the 2nd, 3rd, ... attempt of a webhook delivery; after the last, FAILED. */
  webhookRetryDelaysMs: number[];
  /** PUBLIC_URL was set (else publicUrl is a localhost guess, and feed URLs follow the request's host). */
  publicUrlExplicit: boolean;
  /** Origins (scheme://host[:port]) allowed to call /graphql from a browser and open its websocket. */
  corsOrigins: string[];
  /** Serve GraphiQL at GET /graphql to browsers. */
  graphqlIde: boolean;
  /** smtp:// or smtps:// URL of the mail server; null: emails are logged ("would have mailed") and SKIPPED. */
  smtpUrl: string | null;
  /** From header of every email. */
  mailFrom: string;
  /** Base URL of the apps, for links in emails (no trailing slash). */
  publicUrl: string;
  /** Connection and greeting timeout for SMTP, in ms (the socket idle timeout is three times it). */
  smtpTimeoutMs: number;
  /** Delays before the 2nd, 3rd, ... attempt of an email; after the last, FAILED. */
  emailRetryDelaysMs: number[];
  /** How often each instance looks for due outbox rows and reminders besides being woken. */
  outboxPollMs: number;
  studioName: string;
  /** ISO 4217 code. */
  studioCurrency: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const TTL_PATTERN = /^\d+\s*(s|m|h|d|w)$/;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "15m" -> 900000; the format of JWT_TTL. */
export function durationMs(value: string): number {
  const match = /^(\d+)\s*(s|m|h|d|w)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2]];
}

function duration(env: Env, name: string, fallback: string, minMs: number, maxMs: number): { text: string; ms: number } {
  const value = text(env, name) ?? fallback;
  if (!TTL_PATTERN.test(value)) throw new ConfigError(name, `expected a duration such as 15m or 30d, got "${value}"`);
  const ms = durationMs(value);
  if (ms < minMs || ms > maxMs) throw new ConfigError(name, `must be between ${minMs / 1000}s and ${maxMs / 86_400_000}d, got "${value}"`);
  return { text: value.replace(/\s+/g, ''), ms };
}

function trustProxy(env: Env): boolean | number | string[] {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['0', 'false', 'no', 'off'].includes(lower)) return false;
  if (/^\d+$/.test(raw)) return Number(raw); // hops: a number other than 0/1 is a hop count
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0 || items.some((item) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(item))) {
    throw new ConfigError('TRUST_PROXY', `expected true, false, a hop count, or proxy addresses/subnets (e.g. "loopback, 10.0.0.0/8"), got "${raw}"`);
  }
  return items;
}

function identityProvider(env: Env, isProduction: boolean): Config['identityProvider'] {
  const jwksUrl = text(env, 'AUTH_JWKS_URL');
  const issuer = text(env, 'AUTH_ISSUER');
  const audience = text(env, 'AUTH_AUDIENCE');
  if (jwksUrl === undefined) {
    if (issuer !== undefined || audience !== undefined) throw new ConfigError('AUTH_JWKS_URL', 'is required when AUTH_ISSUER or AUTH_AUDIENCE is set');
    return null;
  }
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new ConfigError('AUTH_JWKS_URL', `not a URL: "${jwksUrl}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !isProduction)) {
    throw new ConfigError('AUTH_JWKS_URL', 'must be an https:// URL (http:// only outside production)');
  }
  if (issuer === undefined) throw new ConfigError('AUTH_ISSUER', 'is required when AUTH_JWKS_URL is set');
  if (audience === undefined) throw new ConfigError('AUTH_AUDIENCE', 'is required when AUTH_JWKS_URL is set');
  return { jwksUrl: url.toString(), issuer, audience };
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30s,2m,10m,1h,6h" -> milliseconds; each a whole number and ms|s|m|h|d. */
export function durationList(name: string, value: string, max = 20): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length > max) throw new ConfigError(name, `at most ${max} delays`);
  return parts.map((part) => {
    const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(part);
    if (!match) throw new ConfigError(name, `expected durations such as 30s,2m,1h separated by commas, got "${part}"`);
    return Number(match[1]) * DURATION_UNITS[match[2]];
  });
}

const MAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** "addr@host" or "Name <addr@host>". */
function mailbox(name: string, value: string): string {
  const inner = /^[^<>]*<([^<>]+)>$/.exec(value)?.[1] ?? value;
  if (!MAIL_ADDRESS.test(inner.trim())) throw new ConfigError(name, `expected an address such as "Studio <no-reply@studio.example>", got "${value}"`);
  return value;
}

function cronExpression(name: string, value: string): string {
  // node-cron's own validator, loaded lazily so config stays cheap to import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cron = require('node-cron') as { validate(expression: string): boolean };
  if (!cron.validate(value)) throw new ConfigError(name, `not a valid cron expression: "${value}"`);
  return value;
}

/** A comma-separated list of exact origins; each normalised the way browsers send them. */
function origins(env: Env, name: string): string[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  const result: string[] = [];
  for (const entry of raw.split(',').map((item) => item.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigError(name, `"${entry}" is not an origin such as https://app.example.com`);
    }
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    if (!['http:', 'https:'].includes(url.protocol) || !bare || !/^https?:\/\/[^/]+\/?$/.test(entry)) {
      throw new ConfigError(name, `"${entry}" is not an origin such as https://app.example.com (scheme and host, no path; "*" is not accepted)`);
    }
    if (!result.includes(url.origin)) result.push(url.origin);
  }
  return result;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = text(env, 'NODE_ENV') ?? 'development';
  const isProduction = nodeEnv === 'production';

  const databaseUrl = text(env, 'DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }

  const jwtSecret = text(env, 'JWT_SECRET') ?? null;
  if (jwtSecret !== null && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  }
  if (jwtSecret === null && isProduction) {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  }

  const jwtTtl = text(env, 'JWT_TTL') ?? '30d';
  if (!TTL_PATTERN.test(jwtTtl)) throw new ConfigError('JWT_TTL', `expected a duration such as 12h or 30d, got "${jwtTtl}"`);

  const accessTokenTtl = duration(env, 'ACCESS_TOKEN_TTL', '15m', 1_000, 86_400_000);
  const refreshTokenTtl = duration(env, 'REFRESH_TOKEN_TTL', '30d', 60_000, 365 * 86_400_000);

  const cronSecret = text(env, 'CRON_SECRET') ?? null;
  if (cronSecret !== null && cronSecret.length < 16) {
    throw new ConfigError('CRON_SECRET', 'must be at least 16 characters');
  }

  const studioTimezone = text(env, 'STUDIO_TIMEZONE') ?? 'UTC';
  if (!isValidTimezone(studioTimezone)) throw new ConfigError('STUDIO_TIMEZONE', `unknown IANA timezone "${studioTimezone}"`);

  const metricsToken = text(env, 'METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters');
  }

  const logLevel = text(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);

  const port = integer(env, 'PORT', 4000, 0, 65535);
  const smtpUrl = text(env, 'SMTP_URL') ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/]/.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  const publicUrlText = text(env, 'PUBLIC_URL');
  if (publicUrlText === undefined && isProduction && smtpUrl !== null) {
    throw new ConfigError('PUBLIC_URL', 'is required when NODE_ENV=production and SMTP_URL is set (links in emails)');
  }
  const publicUrl = (publicUrlText ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError('PUBLIC_URL', `must be an http(s) URL, got "${publicUrl}"`);
  const studioName = text(env, 'STUDIO_NAME') ?? 'Studio';
  if (studioName.length > 100) throw new ConfigError('STUDIO_NAME', 'must be at most 100 characters');
  const mailFromText = text(env, 'MAIL_FROM');
  if (mailFromText === undefined && isProduction && smtpUrl !== null) {
    throw new ConfigError('MAIL_FROM', 'is required when NODE_ENV=production and SMTP_URL is set');
  }
  const mailFrom = mailbox('MAIL_FROM', mailFromText ?? `"${studioName.replace(/["\\<>]/g, '').trim() || 'Studio'}" <no-reply@${new URL(publicUrl).hostname}>`);
  const studioCurrency = text(env, 'STUDIO_CURRENCY') ?? 'EUR';
  if (!/^[A-Z]{3}$/.test(studioCurrency)) throw new ConfigError('STUDIO_CURRENCY', `expected an ISO 4217 code such as EUR, got "${studioCurrency}"`);
  const emailRetryDelaysMs = durationList('EMAIL_RETRY_SCHEDULE', text(env, 'EMAIL_RETRY_SCHEDULE') ?? '30s,2m,10m,1h,6h');

  return {
    port,
    host: text(env, 'HOST') ?? '0.0.0.0',
    databaseUrl,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 2, 200),
    dataDir: text(env, 'DATA_DIR') ?? '.data',
    jwtSecret,
    jwtTtl,
    accessTokenTtl: accessTokenTtl.text,
    accessTokenTtlMs: accessTokenTtl.ms,
    refreshTokenTtlMs: refreshTokenTtl.ms,
    trustProxy: trustProxy(env),
    identityProvider: identityProvider(env, isProduction),
    cronSecret,
    cronSchedule: cronExpression('CRON_SCHEDULE', text(env, 'CRON_SCHEDULE') ?? '0 2 * * *'),
    cronEnabled: boolean(env, 'CRON_ENABLED', true),
    generationHorizonWeeks: integer(env, 'GENERATION_HORIZON_WEEKS', 6, 1, 52),
    studioTimezone,
    logLevel,
    nodeEnv,
    isProduction,
    introspection: boolean(env, 'GRAPHQL_INTROSPECTION', !isProduction),
    metricsToken,
    webhookAllowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    webhookRetryDelaysMs: durationList('WEBHOOK_RETRY_SCHEDULE', text(env, 'WEBHOOK_RETRY_SCHEDULE') ?? '5s,5m,30m,2h,5h,10h,10h'),
    publicUrlExplicit: publicUrlText !== undefined,
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    graphqlIde: boolean(env, 'GRAPHQL_IDE', !isProduction),
    smtpUrl,
    mailFrom,
    publicUrl,
    smtpTimeoutMs: integer(env, 'SMTP_TIMEOUT_MS', 10_000, 100, 120_000),
    emailRetryDelaysMs,
    outboxPollMs: integer(env, 'OUTBOX_POLL_INTERVAL_MS', 5_000, 50, 600_000),
    studioName,
    studioCurrency,
  };
}
