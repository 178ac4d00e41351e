import { registerEnumType } from 'type-graphql';
import {
  DeliveryStatus,
  NotificationKind,
  GenerationRunStatus,
  GenerationTrigger,
  RecurringBookingStatus,
  Role,
  SessionStatus,
} from '../generated/prisma/enums';

export { DeliveryStatus, NotificationKind, GenerationRunStatus, GenerationTrigger, RecurringBookingStatus, Role, SessionStatus };

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
registerEnumType(NotificationKind, { name: 'NotificationKind' });
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });
