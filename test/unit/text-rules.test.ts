import { checkText } from '../../src/graphql/text-rules';

/** The character rules every string argument passes through (src/graphql/operation-checks/argument-rules.ts applies them). */
describe('checkText', () => {
  it.each([
    ['plain text', 'Studio A'],
    ['text with line breaks and tabs', 'line one\nline two\r\n\tindented'],
    ['letters of any script and emoji', 'Zoë Ωμέγα 東京 💪'],
    ['an empty string (required-ness is the field\'s own rule)', ''],
    ['a zero-width joiner inside visible text', 'family 👩\u200D👧'],
  ])('accepts %s', (_label, value) => {
    expect(checkText(value, 100)).toBeNull();
  });

  it.each([
    ['a NUL byte', 'a\u0000b', /control characters/],
    ['a bell', 'ding\u0007', /control characters/],
    ['an escape sequence', '\u001B[31mred', /control characters/],
    ['DEL', 'a\u007F', /control characters/],
    ['a C1 control (NEL)', 'a\u0085b', /control characters/],
    ['an unpaired surrogate', 'a\uD800b', /control characters/],
    ['only spaces', '   ', /visible/],
    ['only zero-width spaces', '\u200B\u200B', /visible/],
    ['only Hangul fillers', '\u3164\u3164', /visible/],
    ['only a byte-order mark and bidi marks', '\uFEFF\u200E\u200F', /visible/],
    ['only braille blanks', '\u2800\u2800', /visible/],
    ['101 characters where 100 are allowed', 'x'.repeat(101), /at most 100 characters/],
  ])('refuses %s', (_label, value, problem) => {
    expect(checkText(value, 100)).toMatch(problem);
  });

  it('counts characters, not UTF-16 units: 100 emoji fit in 100', () => {
    expect(checkText('💪'.repeat(100), 100)).toBeNull();
    expect(checkText('💪'.repeat(101), 100)).toMatch(/at most/);
  });
});
