/**
 * Money: integer minor units ("cents") in one ISO 4217 currency, end to end.
 * Nothing here passes an amount through floating point: percentages are integer
 * arithmetic and display formatting hands Intl an exact decimal string.
 */

/** Prices and charges above this are refused as absurd (one million in major units of a 2-digit currency). */
export const MAX_AMOUNT_CENTS = 100_000_000;

/** `cents * percent / 100`, rounded half up (DESIGN.md "Prices and charges"). */
export function percentOf(cents: number, percent: number): number {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`Not an amount in cents: ${cents}`);
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError(`Not a percent: ${percent}`);
  // cents <= 2^53 / 100 in practice (MAX_AMOUNT_CENTS), so the product stays exact.
  return Math.floor((cents * percent + 50) / 100);
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code the runtime's ICU knows (upper case, three letters). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

/** Formatters by locale and currency: building one costs tens of microseconds, and the nightly sweep formats 10,000 amounts. */
const formatters = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, format);
  }
  return format;
}

const digitsByCurrency = new Map<string, number>();

/** How many minor units a currency has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** "12,34 €" for (1234, 'EUR', 'de-DE'): for people, never for arithmetic. */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not an amount in cents: ${cents}`);
  const digits = minorDigits(currency);
  const sign = cents < 0 ? '-' : '';
  const units = String(Math.abs(cents)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  // A string argument is formatted as the exact decimal it spells (Intl.NumberFormat v3).
  return currencyFormat(locale, currency).format(`${sign}${decimal}` as unknown as number);
}

/** The exact decimal of an amount in major units ("-12.34" for -1234 EUR, "500" for 500 JPY): for files, never for arithmetic. */
export function formatAmount(cents: number, currency: string): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not an amount in cents: ${cents}`);
  const digits = minorDigits(currency);
  const sign = cents < 0 ? '-' : '';
  const units = String(Math.abs(cents)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${units}` : `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}
