const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot exist, so callers answer NOT_FOUND (or nothing) without asking the database. */
export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}
