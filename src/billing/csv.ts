/**
 * RFC 4180 fields and records: CRLF line ends, a field quoted when it holds a comma, a
 * quote, CR or LF, quotes doubled. Text a spreadsheet would run as a formula (starting
 * with = + - @, tab or CR) gets a leading apostrophe (OWASP "CSV injection"); numbers and
 * plain decimals are written as they are.
 */
export function csvField(value: string | number | boolean | null, text = true): string {
  if (value === null) return '';
  let s = String(value);
  // A plain decimal ("-12.34") is a number to a spreadsheet, not a formula.
  if (text && typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRecord(fields: (string | number | boolean | null)[]): string {
  return `${fields.map((f) => csvField(f)).join(',')}\r\n`;
}

/** Parses RFC 4180 text back into records (for tests and tools; the server only writes). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
