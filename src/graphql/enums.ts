import { registerEnumType } from 'type-graphql';
import {
  GenerationRunStatus,
  GenerationTrigger,
  RecurringBookingStatus,
  Role,
  SessionStatus,
} from '../generated/prisma/enums';

export { GenerationRunStatus, GenerationTrigger, RecurringBookingStatus, Role, SessionStatus };

export const SessionChangeKind = {
  CREATED: 'CREATED',
  STATUS_CHANGED: 'STATUS_CHANGED',
  RESCHEDULED: 'RESCHEDULED',
} as const;

registerEnumType(Role, { name: 'Role' });
registerEnumType(SessionStatus, { name: 'SessionStatus' });
registerEnumType(RecurringBookingStatus, { name: 'RecurringBookingStatus' });
registerEnumType(GenerationTrigger, { name: 'GenerationTrigger' });
registerEnumType(GenerationRunStatus, { name: 'GenerationRunStatus' });
registerEnumType(SessionChangeKind, { name: 'SessionChangeKind' });
