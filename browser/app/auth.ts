// Tokens for the app's requests: the access token refreshed shortly before it
// expires (and once more when the server says it has), one refresh at a time.
import { stringifyDocument } from '@urql/core';
import { tokens } from '../shared/tokens';
import { RefreshSessionDocument, type RefreshSessionMutation } from './generated/graphql';

export { tokens };

const GRAPHQL = '/graphql';
const REFRESH_AHEAD_MS = 30_000;

let refreshing: Promise<boolean> | null = null;
const signedOut = new Set<() => void>();

/** Called when the tokens are gone for good (refresh refused): the app shows sign-in. */
export function onSignedOut(listener: () => void): () => void {
  signedOut.add(listener);
  return () => signedOut.delete(listener);
}

export function signOutLocally(): void {
  tokens.clear();
  for (const listener of signedOut) listener();
}

/** Trades the refresh token for a new pair; false when there is none or it is refused (then signed out). */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = tokens.refresh;
    if (!refreshToken) return false;
    const response = await fetch(GRAPHQL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: stringifyDocument(RefreshSessionDocument), variables: { refreshToken } }),
    });
    const body = (await response.json()) as { data?: RefreshSessionMutation | null };
    if (!body.data?.refreshSession) {
      signOutLocally();
      return false;
    }
    tokens.store(body.data.refreshSession);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export const expiresSoon = () => {
  const expiresAt = tokens.expiresAt;
  return tokens.refresh !== null && expiresAt !== null && expiresAt - Date.now() < REFRESH_AHEAD_MS;
};

/** The access token to send now, refreshed first when it is about to expire. */
export async function freshAccessToken(): Promise<string | null> {
  if (expiresSoon()) await refreshTokens().catch(() => false);
  return tokens.access;
}
