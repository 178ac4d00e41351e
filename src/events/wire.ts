import type { SessionStatus } from '../domain/lifecycle';
import type { SessionChangeKind } from '../runtime/event-publisher';
import { isUuid } from '../domain/ids';

/**
 * What travels between instances: ids and kinds, never rows (each instance loads what
 * its subscribers may see). Changes are grouped by (kind, previousStatus, at) and the
 * ids of a group are packed as fixed-width base64url (22 characters per UUID), so a
 * generation run completing thousands of sessions fits in a handful of messages.
 */

export interface SessionChangeRef {
  kind: SessionChangeKind;
  sessionId: string;
  previousStatus: SessionStatus | null;
  at: Date;
}

export interface EventBatch {
  sessions: SessionChangeRef[];
  generationRuns: string[];
  /** People who signed out everywhere: their open websockets close (optional on the wire). */
  signedOut?: string[];
  /** In-app notifications created (since 0.2; older senders omit them). */
  notifications?: string[];
  /** Classes whose places, waitlist or status changed (since 0.3). */
  classes?: string[];
  /** Enrollments that changed, or whose waitlist position did (since 0.3). */
  enrollments?: string[];
}

/** Format version: a message of another version is ignored rather than misread. */
const VERSION = 1;
const ID_WIDTH = 22;
const KINDS: readonly SessionChangeKind[] = ['CREATED', 'STATUS_CHANGED', 'RESCHEDULED'];
const STATUSES: readonly SessionStatus[] = ['SCHEDULED', 'COMPLETED', 'CANCELLED', 'NO_SHOW'];

interface WireGroup {
  k: SessionChangeKind;
  p: SessionStatus | null;
  /** epoch milliseconds */
  t: number;
  /** concatenated ids, ID_WIDTH characters each */
  i: string;
}

interface WireMessage {
  v: number;
  g: WireGroup[];
  /** finished generation runs */
  r: string[];
  /** users who signed out everywhere; absent when none */
  o?: string[];
  /** created notifications, ID_WIDTH characters each (optional: absent means none) */
  n?: string;
  /** changed classes, packed like n */
  c?: string;
  /** changed enrollments, packed like n */
  e?: string;
}

/** The optional lists of packed ids, by batch field. */
const PACKED = { notifications: 'n', classes: 'c', enrollments: 'e' } as const;

export function packId(uuid: string): string {
  if (!isUuid(uuid)) throw new Error(`Not a UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

export function unpackId(packed: string): string {
  const hex = Buffer.from(packed, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const size = (message: WireMessage) => Buffer.byteLength(JSON.stringify(message));

/** Splits a batch into as few messages as fit in `maxBytes` each, keeping the order of changes. */
export function encodeBatch(batch: EventBatch, maxBytes: number): string[] {
  const messages: WireMessage[] = [];
  let current: WireMessage = { v: VERSION, g: [], r: [] };
  const flush = () => {
    if (current.g.length > 0 || current.r.length > 0 || current.n || current.c || current.e || (current.o?.length ?? 0) > 0) messages.push(current);
    current = { v: VERSION, g: [], r: [] };
  };

  for (const userId of batch.signedOut ?? []) {
    current.o = [...(current.o ?? []), userId];
    if (size(current) > maxBytes) {
      current.o.pop();
      flush();
      current.o = [userId];
    }
  }

  // Notification, class and enrollment ids, packed like session ids: each grows a message by ID_WIDTH bytes.
  for (const [field, key] of Object.entries(PACKED) as [keyof typeof PACKED, 'n' | 'c' | 'e'][]) {
    for (const id of batch[field] ?? []) {
      const packed = packId(id);
      if (current[key] === undefined) {
        current[key] = packed;
        if (size(current) > maxBytes) {
          current[key] = undefined;
          flush();
          current[key] = packed;
          if (size(current) > maxBytes) throw new Error(`maxBytes ${maxBytes} is too small for one change`);
        }
      } else if (size(current) + ID_WIDTH <= maxBytes) {
        current[key] += packed;
      } else {
        flush();
        current[key] = packed;
      }
    }
  }

  for (const runId of batch.generationRuns) {
    current.r.push(runId);
    if (size(current) > maxBytes) {
      current.r.pop();
      flush();
      current.r.push(runId);
    }
  }

  // Appending an id grows a message by exactly ID_WIDTH bytes (base64url needs no escaping).
  let group: WireGroup | undefined;
  let bytes = size(current);
  for (const change of batch.sessions) {
    const packed = packId(change.sessionId);
    const at = change.at.getTime();
    const sameGroup = group && group.k === change.kind && group.p === change.previousStatus && group.t === at;
    if (group && sameGroup && bytes + ID_WIDTH <= maxBytes) {
      group.i += packed;
      bytes += ID_WIDTH;
      continue;
    }
    group = { k: change.kind, p: change.previousStatus, t: at, i: packed };
    current.g.push(group);
    bytes = size(current);
    if (bytes > maxBytes) {
      current.g.pop();
      flush();
      current.g.push(group);
      bytes = size(current);
      if (bytes > maxBytes) throw new Error(`maxBytes ${maxBytes} is too small for one change`);
    }
  }
  flush();
  return messages.map((message) => JSON.stringify(message));
}

/** The batch a message carries; null for anything that is not a message of this version. */
export function decodeBatch(text: string): EventBatch | null {
  let message: WireMessage;
  try {
    message = JSON.parse(text) as WireMessage;
  } catch {
    return null;
  }
  if (!message || message.v !== VERSION || !Array.isArray(message.g) || !Array.isArray(message.r)) return null;
  const sessions: SessionChangeRef[] = [];
  for (const group of message.g) {
    if (!KINDS.includes(group.k) || (group.p !== null && !STATUSES.includes(group.p))) return null;
    if (typeof group.i !== 'string' || group.i.length % ID_WIDTH !== 0 || !Number.isFinite(group.t)) return null;
    const at = new Date(group.t);
    for (let offset = 0; offset < group.i.length; offset += ID_WIDTH) {
      sessions.push({ kind: group.k, previousStatus: group.p, at, sessionId: unpackId(group.i.slice(offset, offset + ID_WIDTH)) });
    }
  }
  const generationRuns = message.r.filter((id): id is string => typeof id === 'string' && isUuid(id));
  const lists: Partial<Record<keyof typeof PACKED, string[]>> = {};
  for (const [field, key] of Object.entries(PACKED) as [keyof typeof PACKED, 'n' | 'c' | 'e'][]) {
    const packed = message[key];
    if (packed === undefined) continue;
    if (typeof packed !== 'string' || packed.length % ID_WIDTH !== 0) return null;
    const ids: string[] = [];
    for (let offset = 0; offset < packed.length; offset += ID_WIDTH) ids.push(unpackId(packed.slice(offset, offset + ID_WIDTH)));
    if (ids.length > 0) lists[field] = ids;
  }
  const signedOut = Array.isArray(message.o) ? message.o.filter((id): id is string => typeof id === 'string' && isUuid(id)) : [];
  return {
    sessions,
    generationRuns,
    ...lists,
    ...(Array.isArray(message.o) ? { signedOut } : {}),
  };
}
