/** Local dates as the series tables store them (DATE columns), shared by series changes and pauses. */

const DAY_MS = 86_400_000;

/** A local date "YYYY-MM-DD" as the value of a DATE column. */
export const dateColumn = (localDate: string) => new Date(`${localDate}T00:00:00Z`);
/** Whole days from local date a to local date b. */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
