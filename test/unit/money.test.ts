import { MAX_AMOUNT_CENTS, formatMoney, isCurrencyCode, minorDigits, percentOf } from '../../src/domain/money.js';

describe('percentOf', () => {
  it.each([
    [1000, 100, 1000],
    [1000, 50, 500],
    [1000, 0, 0],
    [999, 50, 500], // 499.5 rounds half up
    [995, 10, 100], // 99.5
    [994, 10, 99], // 99.4
    [1, 50, 1], // 0.5
    [1, 49, 0],
    [MAX_AMOUNT_CENTS, 33, 33_000_000],
  ])('%i cents at %i%% is %i cents', (cents, percent, expected) => {
    expect(percentOf(cents, percent)).toBe(expected);
  });

  it('refuses what is not an amount or a percent', () => {
    expect(() => percentOf(10.5, 10)).toThrow(RangeError);
    expect(() => percentOf(-1, 10)).toThrow(RangeError);
    expect(() => percentOf(100, 101)).toThrow(RangeError);
    expect(() => percentOf(100, 2.5)).toThrow(RangeError);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 codes and nothing else', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('JPY')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(isCurrencyCode('EURO')).toBe(false);
  });

  it('has the minor units of each currency', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });
});

describe('formatMoney', () => {
  it('formats minor units exactly, in the locale asked for', () => {
    expect(formatMoney(1234, 'EUR', 'de-DE')).toBe('12,34\u00a0€');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
    expect(formatMoney(-250, 'USD', 'en-US')).toBe('-$2.50');
    expect(formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
    expect(formatMoney(1234, 'KWD', 'en-US')).toBe('KWD\u00a01.234');
  });

  it('keeps every digit of amounts a double cannot hold as a fraction', () => {
    // Number.MAX_SAFE_INTEGER / 100 is not a double; the decimal string keeps every digit.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'EUR', 'en-US')).toBe('€90,071,992,547,409.91');
  });
});
