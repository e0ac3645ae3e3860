-- Search normalisation (src/search/tokenize.ts searchNormalise) drops the spaces ASR puts between Chinese characters
-- before the Traditional -> Simplified conversion, which converts some characters by the word they are in (瞭 解 was
-- indexed as 瞭解, which 了解 does not find), and reads final sigma ς as σ (ΟΔΟΣ lower-cases to οδος). Segments whose
-- index tokens may differ (Chinese characters with spaces between them, a Greek sigma) are indexed again: the search
-- service's indexer picks up transcripts whose search_indexed_at is null.
DELETE FROM "segment_search" WHERE ("run_id", "idx") IN (SELECT "run_id", "idx" FROM "transcript_segments" WHERE "text" ~ '[⺀-鿿豈-﫿][[:space:]]+[⺀-鿿豈-﫿]' OR "text" ~ '[ςΣ]');--> statement-breakpoint
UPDATE "transcripts" SET "search_indexed_at" = NULL WHERE "run_id" IN (SELECT "run_id" FROM "transcript_segments" WHERE "text" ~ '[⺀-鿿豈-﫿][[:space:]]+[⺀-鿿豈-﫿]' OR "text" ~ '[ςΣ]');
