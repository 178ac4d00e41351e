import { isValidTimezone } from './domain/recurrence';

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

function cronExpression(name: string, value: string): string {
  // node-cron's own validator, loaded lazily so config stays cheap to import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cron = require('node-cron') as { validate(expression: string): boolean };
  if (!cron.validate(value)) throw new ConfigError(name, `not a valid cron expression: "${value}"`);
  return value;
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

  const logLevel = text(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);

  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
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
  };
}
