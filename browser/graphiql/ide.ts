// GraphiQL on this server's own /graphql: queries and mutations over HTTP,
// subscriptions over graphql-ws on the same path, both with the Authorization
// header typed into the headers editor (never persisted: tokens stay in the tab).
import type { Client } from 'graphql-ws';
import { operationsOf } from './operations.js';

interface Params { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }
interface Options { headers?: Record<string, unknown> }

const httpUrl = new URL('/graphql', location.href).href;
const wsUrl = httpUrl.replace(/^http/, 'ws');

/** "Bearer" with nothing after it is the editor's placeholder: send no header at all then. */
function authorizationOf(headers: Record<string, unknown> = {}): string | null {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') continue;
    const text = String(value ?? '').trim();
    return /^bearer$/i.test(text) || text === '' ? null : text;
  }
  return null;
}

function isSubscription(params: Params): boolean {
  const operations = operationsOf(params.query);
  const operation = params.operationName ? operations.find((candidate) => candidate.name === params.operationName) : operations[0];
  return operation?.type === 'subscription';
}

// One socket per token: a changed Authorization header reconnects as the new caller.
let socket: { authorization: string | null; client: Client } | undefined;
function socketFor(authorization: string | null): Client {
  if (!socket || socket.authorization !== authorization) {
    void socket?.client.dispose();
    socket = {
      authorization,
      client: graphqlWs.createClient({ url: wsUrl, connectionParams: authorization ? { authorization } : {}, lazy: true, retryAttempts: 2 }),
    };
  }
  return socket.client;
}

/** graphql-ws ends a refused connection with a CloseEvent: show its reason, not "{}". */
async function* subscription(client: Client, params: Params): AsyncGenerator<unknown> {
  try {
    yield* client.iterate({ query: params.query, variables: params.variables ?? undefined, operationName: params.operationName ?? undefined });
  } catch (error) {
    if (error instanceof Error || Array.isArray(error)) throw error;
    const close = error as { code?: number; reason?: string };
    const refused = close.code === 4403 ? 'the server refused the connection: is the Authorization header a valid token?' : `code ${close.code ?? '?'}`;
    throw new Error(`Websocket closed: ${close.reason || refused}`);
  }
}

function fetcher(params: Params, options: Options = {}): Promise<unknown> | AsyncGenerator<unknown> {
  const authorization = authorizationOf(options.headers);
  if (isSubscription(params)) return subscription(socketFor(authorization), params);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (name.toLowerCase() !== 'authorization' && value !== undefined && value !== null) headers[name] = String(value);
  }
  if (authorization) headers.authorization = authorization;
  return fetch(httpUrl, { method: 'POST', headers, body: JSON.stringify(params) }).then((response) => response.json());
}

const defaultQuery = `# A token after "Bearer" in Headers below:
#   npm run admin -- token --email you@studio.test
#   or signInWithCode's accessToken.
# Ctrl-Enter runs; subscriptions use graphql-ws.
{
  me {
    email
    role
  }
}
`;

/**
 * GraphiQL keeps tabs and history in localStorage with each entry's headers, tokens
 * included, whatever shouldPersistHeaders says. Its storage goes through this filter,
 * which drops every "headers" field before anything is written.
 */
function withoutHeaders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutHeaders);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'headers' ? null : withoutHeaders(inner)]));
}

const storage = {
  getItem: (key: string) => localStorage.getItem(key),
  setItem(key: string, value: string) {
    if (key.endsWith(':headers')) return;
    let safe = value;
    try {
      safe = JSON.stringify(withoutHeaders(JSON.parse(value)));
    } catch {
      // not JSON (a plain query text): nothing to strip
    }
    localStorage.setItem(key, safe);
  },
  removeItem: (key: string) => localStorage.removeItem(key),
  clear: () => localStorage.clear(),
  get length() {
    return localStorage.length;
  },
};

const root = document.getElementById('graphiql')!;
root.textContent = '';
ReactDOM.createRoot(root).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultHeaders: '{\n  "Authorization": "Bearer "\n}',
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false,
    storage,
  }),
);
