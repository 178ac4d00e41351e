// The signed-in person's tokens, shared by the board and the app. sessionStorage:
// they live as long as the tab, never in localStorage or cookies.

export interface TokenPair { accessToken: string; accessTokenExpiresAt: string; refreshToken: string }

const ACCESS = 'booking.accessToken';
const EXPIRES = 'booking.accessTokenExpiresAt';
const REFRESH = 'booking.refreshToken';

export const tokens = {
  get access(): string | null { return sessionStorage.getItem(ACCESS); },
  get refresh(): string | null { return sessionStorage.getItem(REFRESH); },
  get expiresAt(): number | null {
    const value = sessionStorage.getItem(EXPIRES);
    return value ? Date.parse(value) : null;
  },
  store(payload: TokenPair): void {
    sessionStorage.setItem(ACCESS, payload.accessToken);
    sessionStorage.setItem(EXPIRES, payload.accessTokenExpiresAt);
    sessionStorage.setItem(REFRESH, payload.refreshToken);
  },
  clear(): void {
    for (const key of [ACCESS, EXPIRES, REFRESH]) sessionStorage.removeItem(key);
  },
};
