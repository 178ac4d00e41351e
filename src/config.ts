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
  jwtTtl: string;
  cronSecret: string | null;
  cronSchedule: string;
  cronEnabled: boolean;
  generationHorizonWeeks: number;
  studioTimezone: string;
  logLevel: string;
  nodeEnv: string;
  isProduction: boolean;
  introspection: boolean;
  /** Origins (scheme://host[:port]) allowed to call /graphql from a browser and open its websocket. */
  corsOrigins: string[];
  /** Serve GraphiQL at GET /graphql to browsers. */
  graphqlIde: boolean;
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
    cronSecret,
    cronSchedule: cronExpression('CRON_SCHEDULE', text(env, 'CRON_SCHEDULE') ?? '0 2 * * *'),
    cronEnabled: boolean(env, 'CRON_ENABLED', true),
    generationHorizonWeeks: integer(env, 'GENERATION_HORIZON_WEEKS', 6, 1, 52),
    studioTimezone,
    logLevel,
    nodeEnv,
    isProduction,
    introspection: boolean(env, 'GRAPHQL_INTROSPECTION', !isProduction),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    graphqlIde: boolean(env, 'GRAPHQL_IDE', !isProduction),
  };
}
