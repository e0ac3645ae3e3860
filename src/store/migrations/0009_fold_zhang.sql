-- Normalised text folds 帐 into 账 (src/core/normalise.ts foldVariants: OpenCC turns the Taiwan/Hong Kong 帳 of
-- 帳單, 帳戶 into 帐, the mainland writes 账). Text stored before gets the same fold, and its segments are indexed
-- for search again (the search service's indexer picks up transcripts whose search_indexed_at is null), so a search
-- for 账单 finds calls analysed before the upgrade too. Replacing one character by one is exactly the new fold.
UPDATE "transcript_segments" SET "norm_text" = replace("norm_text", '帐', '账') WHERE "norm_text" LIKE '%帐%';--> statement-breakpoint
DELETE FROM "segment_search" WHERE ("run_id", "idx") IN (SELECT "run_id", "idx" FROM "transcript_segments" WHERE "text" LIKE '%帐%' OR "text" LIKE '%帳%');--> statement-breakpoint
UPDATE "transcripts" SET "search_indexed_at" = NULL WHERE "run_id" IN (SELECT "run_id" FROM "transcript_segments" WHERE "text" LIKE '%帐%' OR "text" LIKE '%帳%');
