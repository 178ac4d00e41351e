-- Release 0.3 (issue 23): the enum values group classes add. A value added by ALTER TYPE
-- cannot be used in the transaction that adds it, so they come in a migration of their own,
-- before the tables that use them (20261206000100_classes).
ALTER TYPE "NotificationKind" ADD VALUE 'CLASS_BOOKED';
ALTER TYPE "NotificationKind" ADD VALUE 'CLASS_WAITLISTED';
ALTER TYPE "NotificationKind" ADD VALUE 'CLASS_PROMOTED';
ALTER TYPE "NotificationKind" ADD VALUE 'CLASS_SPOT_OFFERED';
ALTER TYPE "NotificationKind" ADD VALUE 'CLASS_OFFER_EXPIRED';
ALTER TYPE "NotificationKind" ADD VALUE 'CLASS_CANCELLED';

ALTER TYPE "WebhookEventType" ADD VALUE 'CLASS_SESSION_CREATED';
ALTER TYPE "WebhookEventType" ADD VALUE 'CLASS_SESSION_CANCELLED';
ALTER TYPE "WebhookEventType" ADD VALUE 'CLASS_SESSION_CAPACITY_CHANGED';
ALTER TYPE "WebhookEventType" ADD VALUE 'ENROLLMENT_CREATED';
ALTER TYPE "WebhookEventType" ADD VALUE 'ENROLLMENT_CHANGED';

ALTER TYPE "ChargeKind" ADD VALUE 'CLASS';
