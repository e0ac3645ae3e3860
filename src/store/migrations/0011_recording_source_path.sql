-- Where a recording was last analysed or enqueued from, so a second file with the same bytes under another name
-- is told from the same recording renamed (src/pipeline/duplicates.ts). A path that is not a storage key is that
-- file; a copy in a storage folder (storage:...) does not say where it came from, and stays null (unknown).
ALTER TABLE "recordings" ADD COLUMN "source_path" text;--> statement-breakpoint
UPDATE "recordings" SET "source_path" = "path" WHERE "path" NOT LIKE 'storage:%';
