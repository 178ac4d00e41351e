import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('runs with no environment at all, on the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: null,
      databasePoolSize: 10,
      dataDir: '.data',
      jwtSecret: null,
      jwtTtl: '30d',
      cronSecret: null,
      cronSchedule: '0 2 * * *',
      cronEnabled: true,
      generationHorizonWeeks: 6,
      studioTimezone: 'UTC',
      logLevel: 'info',
      nodeEnv: 'development',
      introspection: true,
      corsOrigins: [],
      graphqlIde: true,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/booking',
      DATABASE_POOL_SIZE: '25',
      DATA_DIR: '/var/lib/booking',
      JWT_SECRET: 'x'.repeat(32),
      JWT_TTL: '12h',
      CRON_SECRET: 'y'.repeat(16),
      CRON_SCHEDULE: '*/5 * * * *',
      CRON_ENABLED: 'false',
      GENERATION_HORIZON_WEEKS: '8',
      STUDIO_TIMEZONE: 'Europe/Berlin',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://u:p@db:5432/booking',
      databasePoolSize: 25,
      dataDir: '/var/lib/booking',
      jwtTtl: '12h',
      cronSchedule: '*/5 * * * *',
      cronEnabled: false,
      generationHorizonWeeks: 8,
      studioTimezone: 'Europe/Berlin',
      logLevel: 'debug',
      isProduction: true,
      introspection: false,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_POOL_SIZE', '1'],
    ['DATABASE_POOL_SIZE', 'many'],
    ['JWT_SECRET', 'short'],
    ['JWT_TTL', 'forever'],
    ['CRON_SECRET', 'tiny'],
    ['CRON_SCHEDULE', 'every day at two'],
    ['CRON_ENABLED', 'maybe'],
    ['GENERATION_HORIZON_WEEKS', '0'],
    ['GENERATION_HORIZON_WEEKS', '53'],
    ['STUDIO_TIMEZONE', 'Mars/Olympus_Mons'],
    ['LOG_LEVEL', 'loud'],
    ['GRAPHQL_INTROSPECTION', 'sometimes'],
    ['GRAPHQL_IDE', 'sometimes'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'https://app.example.com?x=1'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
    ['CORS_ORIGINS', 'https://ok.example.com,https://user:pw@bad.example.com'],
  ])('refuses %s=%s with an error naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^JWT_SECRET: is required/);
  });

  it('lets introspection be forced on in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('reads CORS_ORIGINS as exact origins, normalised the way browsers send them', () => {
    const config = loadConfig({ CORS_ORIGINS: ' https://App.Example.com:443 , http://localhost:5173,https://app.example.com/ ' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('turns the IDE off in production unless GRAPHQL_IDE=true', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(production).graphqlIde).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_IDE: 'true' }).graphqlIde).toBe(true);
    expect(loadConfig({ GRAPHQL_IDE: 'false' }).graphqlIde).toBe(false);
  });
});
