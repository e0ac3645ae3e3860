CREATE TABLE "calibration_calls" (
	"session_id" uuid NOT NULL,
	"recording_id" uuid NOT NULL,
	"scorecard_id" uuid NOT NULL,
	CONSTRAINT "calibration_calls_session_id_recording_id_pk" PRIMARY KEY("session_id","recording_id")
);
--> statement-breakpoint
CREATE TABLE "calibration_members" (
	"session_id" uuid NOT NULL,
	"inspector_id" uuid NOT NULL,
	CONSTRAINT "calibration_members_session_id_inspector_id_pk" PRIMARY KEY("session_id","inspector_id")
);
--> statement-breakpoint
CREATE TABLE "calibration_scores" (
	"session_id" uuid NOT NULL,
	"recording_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"scorer_id" uuid NOT NULL,
	"points" double precision NOT NULL,
	"scored_at" timestamp with time zone NOT NULL,
	CONSTRAINT "calibration_scores_session_id_recording_id_item_id_scorer_id_pk" PRIMARY KEY("session_id","recording_id","item_id","scorer_id")
);
--> statement-breakpoint
CREATE TABLE "calibration_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"pipeline_id" text NOT NULL,
	"benchmark" text NOT NULL,
	"team" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "calibration_sessions_status_check" CHECK ("calibration_sessions"."status" in ('open', 'closed')),
	CONSTRAINT "calibration_sessions_benchmark_check" CHECK ("calibration_sessions"."benchmark" in ('supervisor', 'consensus'))
);
--> statement-breakpoint
ALTER TABLE "calibration_calls" ADD CONSTRAINT "calibration_calls_session_id_calibration_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."calibration_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_calls" ADD CONSTRAINT "calibration_calls_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_calls" ADD CONSTRAINT "calibration_calls_scorecard_id_scorecards_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."scorecards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_members" ADD CONSTRAINT "calibration_members_session_id_calibration_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."calibration_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_members" ADD CONSTRAINT "calibration_members_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_scores" ADD CONSTRAINT "calibration_scores_session_id_calibration_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."calibration_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_scores" ADD CONSTRAINT "calibration_scores_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_scores" ADD CONSTRAINT "calibration_scores_scorer_id_users_id_fk" FOREIGN KEY ("scorer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_sessions" ADD CONSTRAINT "calibration_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calibration_members_inspector_idx" ON "calibration_members" USING btree ("inspector_id");