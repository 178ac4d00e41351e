import { badInput } from '../errors';
import { MAX_AMOUNT_CENTS } from '../domain/money';

/** A price or amount in cents: an integer 0..MAX_AMOUNT_CENTS (null/undefined pass: "not given"). */
export function assertAmount(cents: number | null | undefined, field: string): void {
  if (cents == null) return;
  if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_AMOUNT_CENTS) {
    throw badInput(field, `Amounts are whole cents between 0 and ${MAX_AMOUNT_CENTS}`);
  }
}
