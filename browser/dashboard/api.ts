// GraphQL over HTTP for the board, with the signed-in person's token: refreshed
// before it expires and once more when the server says it has (refreshSession).

import { tokens } from '../shared/tokens.js';

export { tokens };

export interface Person { id: string; name: string; role: 'OWNER' | 'COACH' | 'MEMBER' }

interface AuthPayload { accessToken: string; accessTokenExpiresAt: string; refreshToken: string; user: Person }

/** An answer with errors: the first one's code and message, as the contract defines them. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

export const AUTH_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id name role }';
const endpoint = new URL('/graphql', location.href).href;

async function post<T>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server cannot be reached; trying again shortly.', 'NETWORK');
  }
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status}.`, 'NETWORK');
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error.extensions?.retryAfterSeconds);
  return body.data as T;
}

/** Anonymous calls: the sign-in mutations. */
export function anonymous<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return post<T>(query, variables, null);
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair, once for everyone waiting; false when there is none or it is refused. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = tokens.refresh;
    if (!refreshToken) return false;
    try {
      const data = await anonymous<{ refreshSession: AuthPayload }>(`mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${AUTH_FIELDS} } }`, { refreshToken });
      tokens.store(data.refreshSession);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NETWORK') throw error;
      tokens.clear();
      return false;
    }
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** A token good for at least the next half minute, refreshed first if it is about to expire; null when signed out. */
export async function accessToken(): Promise<string | null> {
  const expiresAt = tokens.expiresAt;
  if (tokens.access && expiresAt !== null && expiresAt - Date.now() < 30_000) await refresh();
  return tokens.access;
}

/** Signed-in calls. An expired or revoked token is refreshed once; after that the caller must sign in (UNAUTHENTICATED). */
export async function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = await accessToken();
  if (!token) throw new ApiError('Please sign in.', 'UNAUTHENTICATED');
  try {
    return await post<T>(query, variables, token);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;
    if (!(await refresh())) {
      tokens.clear();
      throw error;
    }
    return post<T>(query, variables, tokens.access);
  }
}
