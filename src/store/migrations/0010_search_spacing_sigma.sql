-- Search normalisation (src/search/tokenize.ts searchNormalise) drops the spaces ASR puts between Chinese characters
-- before the Traditional -> Simplified conversion, which converts some characters by the word they are in (瞭 解 was
-- indexed as 瞭解, which 了解 does not find), and reads final sigma ς as σ (ΟΔΟΣ lower-cases to οδος). Segments whose
-- index tokens may differ (Chinese characters with spaces between them, a Greek sigma) are indexed again: the search
-- service's indexer picks up transcripts whose search_indexed_at is null. "Space" is what JavaScript's \s is (the
-- no-break, ideographic, em ... spaces too: [[:space:]] alone depends on the database's locale and misses the no-break
-- space), and Chinese includes the characters past U+FFFF (Extension B on), as \p{Script=Han} does.
DELETE FROM "segment_search" WHERE ("run_id", "idx") IN (SELECT "run_id", "idx" FROM "transcript_segments" WHERE "text" ~ '[\u2e80-\u9fff\uf900-\ufaff\U00016fe2-\U00016ff1\U00020000-\U000323af][[:space:]\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+[\u2e80-\u9fff\uf900-\ufaff\U00016fe2-\U00016ff1\U00020000-\U000323af]' OR "text" ~ '[ςΣ]');--> statement-breakpoint
UPDATE "transcripts" SET "search_indexed_at" = NULL WHERE "run_id" IN (SELECT "run_id" FROM "transcript_segments" WHERE "text" ~ '[\u2e80-\u9fff\uf900-\ufaff\U00016fe2-\U00016ff1\U00020000-\U000323af][[:space:]\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+[\u2e80-\u9fff\uf900-\ufaff\U00016fe2-\U00016ff1\U00020000-\U000323af]' OR "text" ~ '[ςΣ]');
