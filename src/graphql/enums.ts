import { registerEnumType } from 'type-graphql';
import {
  DeliveryStatus,
  GenerationRunStatus,
  GenerationTrigger,
  RecurringBookingStatus,
  Role,
  SessionStatus,
  WebhookEventType,
} from '../generated/prisma/enums';

export { DeliveryStatus, GenerationRunStatus, GenerationTrigger, RecurringBookingStatus, Role, SessionStatus, WebhookEventType };

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
// Shared by the outbox's channels: Notification.emailStatus (notifications) and WebhookDelivery.status.
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });
registerEnumType(WebhookEventType, { name: 'WebhookEventType' });
