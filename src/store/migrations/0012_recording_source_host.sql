-- The machine a recording's source_path is on when it is only that machine's (enqueued into a storage folder
-- from an inbox of its own): whether that file is still there cannot be asked of another machine's file system
-- (src/pipeline/duplicates.ts). Null: a path every machine reads alike, or unknown (recordings stored before).
ALTER TABLE "recordings" ADD COLUMN "source_host" text;