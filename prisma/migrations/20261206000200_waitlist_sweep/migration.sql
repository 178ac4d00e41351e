-- The waitlist worker's due work (issue 23): open waitlist entries and offers by class, so a
-- pass finds the classes that have started, or have a free place and a line, without
-- scanning every enrollment ever made. Offers by expiry are enrollments_offer_expires_at_idx.
CREATE INDEX "enrollments_open_line_idx" ON "enrollments" ("class_session_id") WHERE "status" IN ('WAITLISTED', 'OFFERED');
