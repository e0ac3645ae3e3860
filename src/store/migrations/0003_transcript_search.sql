CREATE TABLE "segment_search" (
	"run_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"vector" "tsvector" NOT NULL,
	CONSTRAINT "segment_search_run_id_idx_pk" PRIMARY KEY("run_id","idx")
);
--> statement-breakpoint
ALTER TABLE "segment_search" ADD CONSTRAINT "segment_search_run_id_idx_transcript_segments_run_id_idx_fk" FOREIGN KEY ("run_id","idx") REFERENCES "public"."transcript_segments"("run_id","idx") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "segment_search_vector_idx" ON "segment_search" USING gin ("vector");