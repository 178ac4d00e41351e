import net from 'node:net';

/**
 * A TCP relay in front of a server, to cut a browser's network the way a phone loses it:
 * blackhole() keeps the connections open but lets nothing through (and takes no new ones),
 * restore() drops them and relays again.
 */
export interface TcpProxy {
  origin: string;
  blackhole(): void;
  restore(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: URL): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const proxy: TcpProxy = {
    origin: `http://127.0.0.1:${port}`,
    blackhole() {
      cut = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    restore() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      cut = false;
    },
    async stop() {
      proxy.restore();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
