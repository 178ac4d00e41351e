-- Since 0.2: the zone a person's times are shown in (emails, calendar feeds).
-- NULL means the studio's timezone, so changing STUDIO_TIMEZONE moves everyone who never chose.
ALTER TABLE "users" ADD COLUMN "timezone" TEXT;
