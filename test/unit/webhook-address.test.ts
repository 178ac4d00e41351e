import { classifyAddress, refusal } from '../../src/webhooks/address-policy';
import { assertWebhookUrl } from '../../src/webhooks/webhook-url';

describe('which addresses may receive webhooks', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('refuses loopback and private unless allowed; link-local and reserved always', () => {
    expect(refusal('127.0.0.1', false)).toMatch(/loopback/);
    expect(refusal('127.0.0.1', true)).toBeNull();
    expect(refusal('10.0.0.1', true)).toBeNull();
    expect(refusal('169.254.169.254', true)).toMatch(/link-local/);
    expect(refusal('0.0.0.0', true)).toMatch(/reserved/);
    expect(refusal('8.8.8.8', false)).toBeNull();
  });
});

describe('webhook URLs as registered', () => {
  const production = { isProduction: true, allowPrivate: false };
  const development = { isProduction: false, allowPrivate: false };

  async function refused(url: string, rules = production): Promise<string> {
    try {
      await assertWebhookUrl(url, rules, 'input.url');
    } catch (error) {
      expect((error as { field?: string }).field).toBe('input.url');
      return (error as Error).message;
    }
    throw new Error(`${url} was accepted`);
  }

  it('accepts https URLs on public addresses, and the usual ports', async () => {
    await expect(assertWebhookUrl('https://93.184.216.34/hooks?src=gym', production, 'input.url')).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookUrl('https://93.184.216.34:8443/hooks', production, 'input.url')).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookUrl('http://93.184.216.34:8080/hooks', development, 'input.url')).resolves.toBeInstanceOf(URL);
  });

  it('refuses in production: http, ports other than 80/443/8000-65535', async () => {
    expect(await refused('http://93.184.216.34/hooks')).toMatch(/https/);
    expect(await refused('https://93.184.216.34:22/hooks')).toMatch(/port/);
    expect(await refused('https://93.184.216.34:7999/hooks')).toMatch(/port/);
  });

  it('refuses everywhere: other schemes, credentials, fragments, loopback and private hosts, localhost names', async () => {
    expect(await refused('file:///etc/passwd', development)).toMatch(/https/);
    expect(await refused('gopher://93.184.216.34/', development)).toMatch(/https/);
    expect(await refused('https://a:b@93.184.216.34/', development)).toMatch(/credentials/);
    expect(await refused('https://93.184.216.34/#x', development)).toMatch(/fragment/);
    expect(await refused('https://127.0.0.1/', development)).toMatch(/loopback/);
    expect(await refused('https://[::ffff:7f00:1]/', development)).toMatch(/loopback/);
    expect(await refused('https://10.0.0.8/', development)).toMatch(/private/);
    expect(await refused('https://localhost/', development)).toMatch(/localhost/);
    expect(await refused('https://api.localhost/', development)).toMatch(/localhost/);
    expect(await refused('https://169.254.169.254/', { isProduction: false, allowPrivate: true })).toMatch(/link-local/);
  });
});
