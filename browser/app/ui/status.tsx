// Loading, empty and error states, the same everywhere.
import type { ComponentChildren } from 'preact';
import type { CombinedError } from '@urql/core';
import { describeError, type Sentences } from '../errors';

export function Loading({ what }: { what: string }) {
  return <p class="status" role="status" aria-live="polite">Loading {what}…</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function ErrorNote({ error, sentences }: { error?: CombinedError | null; sentences?: Sentences }) {
  if (!error) return null;
  return <p class="error" role="alert">{describeError(error, sentences)}</p>;
}

/** A query's three states before its data: loading, failed, or nothing to show. */
export function QueryState({ fetching, error, what }: { fetching: boolean; error?: CombinedError; what: string }) {
  if (error) return <ErrorNote error={error} />;
  if (fetching) return <Loading what={what} />;
  return null;
}

/** A failed action's sentence, next to the control that failed. */
export function Problem({ text }: { text: string | null }) {
  return text ? <p class="error" role="alert">{text}</p> : null;
}
