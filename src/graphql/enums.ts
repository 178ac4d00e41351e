import { registerEnumType } from 'type-graphql';
import {
  ChargeKind,
  ClassScheduleStatus,
  DeliveryStatus,
  EnrollmentStatus,
  NotificationKind,
  GenerationRunStatus,
  GenerationTrigger,
  RecurringBookingStatus,
  Role,
  SessionStatus,
  WebhookEventType,
} from '../generated/prisma/enums';

export { ChargeKind, ClassScheduleStatus, DeliveryStatus, EnrollmentStatus, NotificationKind, GenerationRunStatus, GenerationTrigger, RecurringBookingStatus, Role, SessionStatus, WebhookEventType };

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
registerEnumType(WebhookEventType, { name: 'WebhookEventType' });
registerEnumType(EnrollmentStatus, { name: 'EnrollmentStatus' });
registerEnumType(ClassScheduleStatus, { name: 'ClassScheduleStatus' });
registerEnumType(ChargeKind, { name: 'ChargeKind' });
