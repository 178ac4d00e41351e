import type { SessionStatus } from '../domain/lifecycle';

// Low, so services (which publish), events (which carry) and billing share one shape;
// src/events/publisher.ts implements it over an EventTransport.

export type SessionChangeKind = 'CREATED' | 'STATUS_CHANGED' | 'RESCHEDULED';

/** What changed, by id: subscribers load what they are allowed to see. */
export interface SessionChange {
  kind: SessionChangeKind;
  sessionId: string;
  coachId: string;
  memberId: string;
  previousStatus: SessionStatus | null;
  at: Date;
}

/** Services announce committed changes here; never inside an open transaction. */
export interface EventPublisher {
  sessionsChanged(changes: SessionChange[]): void;
  generationRunFinished(runId: string): void;
  /** A person signed out everywhere: every instance closes their open websockets. */
  signedOutEverywhere(userId: string): void;
  /** In-app notifications just committed (ids): their recipients' notificationReceived. */
  notificationsCreated(ids: string[]): void;
  /** Classes whose places or status changed, and enrollments that changed (or moved in line). */
  classesChanged(change: ClassChange): void;
}

export interface ClassChange {
  classIds: string[];
  enrollmentIds: string[];
}
