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
      publicUrlExplicit: false,
      metricsToken: null,
      webhookAllowPrivate: false,
      webhookRetryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
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
      PUBLIC_URL: 'https://studio.example.com/',
      METRICS_TOKEN: 'm'.repeat(16),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: '1s,1m',
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
      publicUrl: 'https://studio.example.com',
      publicUrlExplicit: true,
      metricsToken: 'm'.repeat(16),
      webhookAllowPrivate: true,
      webhookRetryDelaysMs: [1_000, 60_000],
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
    ['METRICS_TOKEN', 'short'],
    ['WEBHOOK_ALLOW_PRIVATE', 'perhaps'],
    ['WEBHOOK_RETRY_SCHEDULE', '5s,later'],
    ['GRAPHQL_IDE', 'sometimes'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'https://app.example.com?x=1'],
    ['CORS_ORIGINS', 'ftp://files.example.com'],
    ['CORS_ORIGINS', 'https://ok.example.com,https://user:pw@bad.example.com'],
    ['SMTP_URL', 'http://mail.example'],
    ['MAIL_FROM', 'not an address'],
    ['PUBLIC_URL', 'ftp://studio.example'],
    ['SMTP_TIMEOUT_MS', '10'],
    ['EMAIL_RETRY_SCHEDULE', '30s,soon'],
    ['OUTBOX_POLL_INTERVAL_MS', '0'],
    ['STUDIO_CURRENCY', 'euro'],
  ])('refuses %s=%s with an error naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}:`));
  });

  it('reads the mail and outbox variables, with defaults for a machine without SMTP', () => {
    expect(loadConfig({})).toMatchObject({
      smtpUrl: null,
      publicUrl: 'http://localhost:4000',
      mailFrom: '"Studio" <no-reply@localhost>',
      smtpTimeoutMs: 10_000,
      emailRetryDelaysMs: [30_000, 120_000, 600_000, 3_600_000, 21_600_000],
      outboxPollMs: 5_000,
      studioName: 'Studio',
      studioCurrency: 'EUR',
    });
    expect(
      loadConfig({
        SMTP_URL: 'smtps://user:pass@mail.example:465',
        MAIL_FROM: 'Gym <hello@gym.example>',
        PUBLIC_URL: 'https://app.gym.example/',
        SMTP_TIMEOUT_MS: '2000',
        EMAIL_RETRY_SCHEDULE: '500ms, 5s,1m',
        OUTBOX_POLL_INTERVAL_MS: '1000',
        STUDIO_NAME: 'Gym',
        STUDIO_CURRENCY: 'USD',
      }),
    ).toMatchObject({
      smtpUrl: 'smtps://user:pass@mail.example:465',
      mailFrom: 'Gym <hello@gym.example>',
      publicUrl: 'https://app.gym.example',
      smtpTimeoutMs: 2_000,
      emailRetryDelaysMs: [500, 5_000, 60_000],
      outboxPollMs: 1_000,
      studioName: 'Gym',
      studioCurrency: 'USD',
    });
  });

  it('requires PUBLIC_URL and MAIL_FROM in production once SMTP_URL is set', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SMTP_URL: 'smtp://mail.example' };
    expect(() => loadConfig(production)).toThrow(/^PUBLIC_URL: is required/);
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'https://gym.example' })).toThrow(/^MAIL_FROM: is required/);
  });

  it('reads the sign-in variables: token lifetimes, TRUST_PROXY and the identity provider', () => {
    expect(loadConfig({})).toMatchObject({ accessTokenTtl: '15m', accessTokenTtlMs: 900_000, refreshTokenTtlMs: 30 * 86_400_000, trustProxy: false, identityProvider: null });
    const config = loadConfig({
      ACCESS_TOKEN_TTL: '5m',
      REFRESH_TOKEN_TTL: '7d',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
      AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
      AUTH_ISSUER: 'https://id.example.com/',
      AUTH_AUDIENCE: 'booking-api',
    });
    expect(config).toMatchObject({
      accessTokenTtlMs: 300_000,
      refreshTokenTtlMs: 7 * 86_400_000,
      trustProxy: ['loopback', '10.0.0.0/8'],
      identityProvider: { jwksUrl: 'https://id.example.com/.well-known/jwks.json', issuer: 'https://id.example.com/', audience: 'booking-api' },
    });
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it.each([
    [{ ACCESS_TOKEN_TTL: 'soon' }, 'ACCESS_TOKEN_TTL'],
    [{ ACCESS_TOKEN_TTL: '2d' }, 'ACCESS_TOKEN_TTL'],
    [{ REFRESH_TOKEN_TTL: '10s' }, 'REFRESH_TOKEN_TTL'],
    [{ TRUST_PROXY: 'everyone' }, 'TRUST_PROXY'],
    [{ AUTH_ISSUER: 'https://id.example.com/' }, 'AUTH_JWKS_URL'],
    [{ AUTH_JWKS_URL: 'not a url', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' }, 'AUTH_JWKS_URL'],
    [{ AUTH_JWKS_URL: 'https://id.example.com/jwks', AUTH_AUDIENCE: 'a' }, 'AUTH_ISSUER'],
    [{ AUTH_JWKS_URL: 'https://id.example.com/jwks', AUTH_ISSUER: 'i' }, 'AUTH_AUDIENCE'],
    [{ AUTH_JWKS_URL: 'http://id.example.com/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, 'AUTH_JWKS_URL'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(expect.objectContaining({ variable }));
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
