import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../errors';

/** Codes a client may see; anything else is masked. */
const CLIENT_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED']);
/** Malformed requests (bad syntax, unknown fields, wrong variable types) are the caller's input errors. */
const REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'BAD_USER_INPUT']);

export const INTERNAL_MESSAGE = 'Internal server error';
/** Shown as is: tells clients the failure is transient (the database is unreachable). */
export const UNAVAILABLE_MESSAGE = 'Service unavailable, try again shortly';

/** Is this an error we meant a client to see (logged at debug), or an unexpected one (logged as error, masked)? */
export function isExpected(formatted: GraphQLFormattedError, error: unknown): boolean {
  return formatError(formatted, error).extensions?.code !== 'INTERNAL_SERVER_ERROR';
}

/**
 * The one place that decides what a client sees of an error, for HTTP (Apollo's
 * formatError) and websockets (graphql-ws onNext) alike.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...(original.field ? { field: original.field } : {}), ...original.extensions } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    return { ...base, extensions: { code, ...fieldOf(formatted) } };
  }
  // graphql-js's own request errors carry no code, wrap nothing and point at no response path;
  // Apollo labels them INTERNAL_SERVER_ERROR for want of a code.
  const requestError = error instanceof GraphQLError && error.extensions.code === undefined && !error.originalError && !error.path;
  if (requestError || (typeof code === 'string' && REQUEST_CODES.has(code))) {
    return { ...base, extensions: { code: 'BAD_USER_INPUT', ...fieldOf(formatted) } };
  }
  const message = formatted.message === UNAVAILABLE_MESSAGE ? UNAVAILABLE_MESSAGE : INTERNAL_MESSAGE;
  return { message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Variable coercion messages name the offending input: `... at "input.startTime"; ...` or `Variable "$id" ...`. */
function fieldOf(formatted: GraphQLFormattedError): { field?: string } {
  const existing = formatted.extensions?.field;
  if (typeof existing === 'string') return { field: existing };
  const at = /Variable "\$(\w+)" got invalid value .*? at "([\w.[\]]+)"/.exec(formatted.message);
  if (at) return { field: at[2].replace(/\[(\d+)\]/g, '.$1') };
  const variable = /Variable "\$(\w+)"/.exec(formatted.message);
  if (variable) return { field: variable[1] };
  const argument = /Argument "(\w+)"/.exec(formatted.message);
  if (argument) return { field: argument[1] };
  return {};
}
