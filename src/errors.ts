/**
 * Errors that mean something to a client. Services throw these; the GraphQL and
 * HTTP edges turn them into the contract's `extensions.code` (and `field`).
 * Anything else is unexpected: logged, and masked as INTERNAL_SERVER_ERROR.
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Further `extensions` a client needs (RATE_LIMITED: retryAfterSeconds). */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, field);
export const notFound = (what: string, field?: string) => new AppError('NOT_FOUND', `${what} not found`, field);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const forbidden = (message = 'Not allowed for your role') => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = 'Authentication required') => new AppError('UNAUTHENTICATED', message);
/** Too many attempts; the client may try again after `retryAfterSeconds`. */
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', `Too many attempts; try again in ${retryAfterSeconds} seconds`, undefined, { retryAfterSeconds });
