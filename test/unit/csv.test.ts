import { csvField, csvRecord, parseCsv } from '../../src/billing/csv';
import { formatAmount } from '../../src/domain/money';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes; records end in CRLF', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', null, 42, true])).toBe('a,"b,c","say ""hi""","two\nlines",,42,true\r\n');
  });

  it('disarms text a spreadsheet would run as a formula, but not plain decimals', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.34')).toBe('-12.34');
    expect(csvField(-5)).toBe('-5');
  });

  it('parses back what it writes', () => {
    const rows = [['id', 'text'], ['1', 'Goodwill, "loyal"\r\nmember'], ['2', '']];
    expect(parseCsv(rows.map((r) => csvRecord(r)).join(''))).toEqual(rows);
  });
});

describe('formatAmount', () => {
  it('writes the exact decimal in major units for the currency', () => {
    expect(formatAmount(1234, 'EUR')).toBe('12.34');
    expect(formatAmount(-5, 'EUR')).toBe('-0.05');
    expect(formatAmount(500, 'JPY')).toBe('500');
    expect(formatAmount(1234, 'KWD')).toBe('1.234');
    expect(formatAmount(100_000_000, 'USD')).toBe('1000000.00');
  });
});
