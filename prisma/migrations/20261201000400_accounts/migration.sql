-- Since 0.2: accounts and sign-in.

-- password_hash: "scrypt$N$r$p$salt$hash" (base64url), null until the person sets one.
-- tokens_valid_after: signOutEverywhere; access tokens issued before it are refused.
ALTER TABLE "users"
  ADD COLUMN "password_hash" TEXT,
  ADD COLUMN "tokens_valid_after" TIMESTAMPTZ(3);

-- One live sign-in code per address (a new request replaces it). Rows exist for any
-- address asked for, with or without an account, so both cases do the same work.
CREATE TABLE "sign_in_codes" (
  "email" TEXT NOT NULL,
  "code_hash" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "sign_in_codes_pkey" PRIMARY KEY ("email")
);
CREATE INDEX "sign_in_codes_expires_at_idx" ON "sign_in_codes" ("expires_at");

-- Opaque refresh tokens, stored as SHA-256; single use, rotating within a family.
CREATE TABLE "refresh_tokens" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "user_id" UUID NOT NULL,
  "family_id" UUID NOT NULL,
  "token_hash" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "used_at" TIMESTAMPTZ(3),
  "revoked_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "refresh_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens" ("token_hash");
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id");
CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id");
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens" ("expires_at");

-- Attempt counters shared by every instance (sign-in code requests per address and
-- per client IP, password failures per address). The key is a SHA-256 of what is
-- counted, so no address or IP is stored in the clear.
CREATE TABLE "rate_limit_hits" (
  "id" BIGSERIAL NOT NULL,
  "key" TEXT NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "rate_limit_hits_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "rate_limit_hits_key_at_idx" ON "rate_limit_hits" ("key", "at");
CREATE INDEX "rate_limit_hits_at_idx" ON "rate_limit_hits" ("at");
