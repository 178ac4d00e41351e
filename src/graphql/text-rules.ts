/**
 * What any string a client sends must be, whatever the field: not longer than its maximum
 * (in characters), free of control characters (NUL and friends fail in PostgreSQL as 22021
 * or hide in logs and mails; tab, line feed and carriage return are text), free of unpaired
 * surrogates (not encodable as UTF-8), and, when not empty, holding something visible.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/u;
/** Whitespace, format characters (zero-width spaces and joiners, BOM, bidi marks) and blank look-alikes. */
const INVISIBLE = /^[\s\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u034F\u115F\u1160\u17B4\u17B5\u180E\u2800\u3164\uFFA0]*$/u;

export function checkText(value: string, maxLength: number): string | null {
  if (value.length > maxLength && [...value].length > maxLength) return `must be at most ${maxLength} characters`;
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (value.length > 0 && INVISIBLE.test(value)) return 'must contain visible characters';
  return null;
}
