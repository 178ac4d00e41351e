/**
 * Limits that are rules of the service, whatever the API in front of it: services refuse
 * past them, and the GraphQL layer prices lists and checks arguments with the same numbers
 * (src/graphql/limits.ts).
 */

/** Page sizes: every `first`/`last` Int argument is a page size, 1 to its maximum. */
export const MAX_PAGE_SIZE = 200;

/** Pauses one series may have (pauseRecurringBooking refuses more). */
export const MAX_SERIES_PAUSES = 50;

/** Generation runs one request may list (`generationRuns(last)`). */
export const MAX_RUNS_LISTED = 100;
