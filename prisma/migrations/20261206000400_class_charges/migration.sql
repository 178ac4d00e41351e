-- Class lines take a class type's creditsPerClass (0-10) pack credits at once (issue 23):
-- a line's credit_delta is that many (or as many given back by its reversal).
ALTER TABLE "charges" DROP CONSTRAINT "charges_credit_delta",
  ADD CONSTRAINT "charges_credit_delta" CHECK ("credit_delta" BETWEEN -10 AND 10 AND ("credit_delta" = 0 OR "credit_pack_id" IS NOT NULL));
