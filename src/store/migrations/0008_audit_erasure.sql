-- The audit log stays append-only, with one exception: an erasure (callqa data erase/purge) blanks the free text
-- (review comments, dispute reasons) of the erased calls' entries, inside the erasing transaction, which says so
-- with set_config('callqa.erasure', 'on', true). Who did what, when, to which call stays as it was: an UPDATE
-- that changes any column but details is refused even then, and DELETE and TRUNCATE always are.
CREATE OR REPLACE FUNCTION callqa_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND coalesce(current_setting('callqa.erasure', true), '') = 'on'
     AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NEW.actor_name = OLD.actor_name AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
     AND NEW.target_id = OLD.target_id AND NEW.call_id IS NOT DISTINCT FROM OLD.call_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$;
