CREATE TABLE "erased_recordings" (
	"content_hash" text PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL
);
