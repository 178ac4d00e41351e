// The contract's error codes as sentences people understand.
import type { CombinedError } from '@urql/core';

/** What a failure means for this action, by code (CONFLICT mostly depends on what was tried). */
export type Sentences = Partial<Record<string, string>>;

const GENERAL: Record<string, string> = {
  UNAUTHENTICATED: 'Your sign-in has expired. Please sign in again.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  NOT_FOUND: 'That is no longer there: it may have been cancelled or removed. The page has been refreshed.',
  CONFLICT: 'That clashes with something already booked.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again in a moment.',
};

/** Labels for the input fields the server names (extensions.field, e.g. "input.endTime"). */
const FIELDS: Record<string, string> = {
  startTime: 'the start', endTime: 'the end', startDate: 'the first date', endDate: 'the last date',
  effectiveFrom: 'the date the change starts', from: 'the first day', to: 'the last day', occurrences: 'the number of sessions',
  intervalWeeks: 'how often', email: 'the email address', code: 'the code', password: 'the password', newPassword: 'the new password',
  reminderLeadMinutes: 'the reminder times', slots: 'the weekly hours', dayOfWeek: 'the day',
};

export function describeError(error: CombinedError, sentences: Sentences = {}): string {
  if (error.networkError && error.graphQLErrors.length === 0) {
    return 'The server cannot be reached. Check your connection and try again.';
  }
  const first = error.graphQLErrors[0];
  const code = String(first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : undefined;
  const specific = sentences[code];
  if (specific) return specific;
  if (code === 'RATE_LIMITED') {
    const seconds = Number(first?.extensions?.retryAfterSeconds ?? 60);
    const wait = seconds < 90 ? `${Math.max(1, Math.round(seconds))} seconds` : `${Math.round(seconds / 60)} minutes`;
    return `Too many tries. Please wait ${wait} and try again.`;
  }
  if (code === 'BAD_USER_INPUT') {
    const label = field ? FIELDS[field.split('.').pop() ?? ''] : undefined;
    const message = first?.message.replace(/\.$/, '') ?? 'Please check what you entered';
    return label ? `Please check ${label}: ${message}.` : `${message}.`;
  }
  // CONFLICT messages are the server's own sentences ("The class has already started").
  if (code === 'CONFLICT' && first?.message) return first.message.endsWith('.') ? first.message : `${first.message}.`;
  return GENERAL[code] ?? GENERAL.INTERNAL_SERVER_ERROR;
}
