/**
 * The audit log: every state change and every read of a call's audio or transcript, who/when/what,
 * append-only (the database refuses UPDATE and DELETE on it). Use `audit(actor, action, target, details)`.
 * Actions are dotted verbs: user.add, session.login, review.decide, call.transcript.read, call.audio.read ...
 */
import { AuditRepo, type AuditQuery } from '../store/audit-repo.js';
import type { StoreDb } from '../store/db.js';
import type { AuditRow } from '../store/schema.js';
import { isUuid } from './call-access.js';
import { ServiceError } from './errors.js';
import { maskSpoken } from './privacy.js';
import type { Actor, AuthUser } from './types.js';

export interface AuditTarget {
  type: string;
  id: string;
  /** the call (recording id) the action concerns, so it shows in that call's history */
  callId?: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: { type: string; id: string };
  callId: string | null;
  details: Record<string, unknown>;
}

export class AuditService {
  private readonly repo: AuditRepo;
  constructor(
    db: StoreDb,
    private readonly now: () => Date,
  ) {
    this.repo = new AuditRepo(db);
  }

  /** Appends one entry. Pass `db` (a transaction) to write it with the state change it records. */
  async audit(actor: Actor, action: string, target: AuditTarget, details: Record<string, unknown> = {}, db?: StoreDb): Promise<void> {
    const repo = db ? new AuditRepo(db) : this.repo;
    await repo.append({
      at: this.now(),
      actorId: actor.id,
      actorName: actor.username,
      action,
      targetType: target.type,
      targetId: target.id,
      callId: target.callId ?? null,
      details,
    });
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    // a short id as `callqa calls list` prints it must not reach the uuid cast (a raw 22P02 database error)
    if (q.callId != null && !isUuid(q.callId))
      throw new ServiceError(400, 'bad_request', `--call must be a whole call id (a UUID, as callqa calls list --json prints it), got "${q.callId}"`);
    return (await this.repo.query(q)).map(toEntry);
  }

  /**
   * The audit log for an admin in the browser or a script (`listAuditLog`), where `callqa audit` cannot run (the
   * embedded database serves one process: `callqa serve` holds it). Comments and reasons people typed are masked
   * as in a call's history; the read itself is audited (`audit.read`, with the filter and the number of entries).
   */
  async list(user: AuthUser, q: AuditQuery): Promise<AuditEntry[]> {
    if (user.role !== 'admin') throw new ServiceError(403, 'forbidden', `the audit log is for admin users; you are ${user.role}`);
    if (q.callId != null && !isUuid(q.callId)) throw new ServiceError(400, 'invalid_request', `query.callId: a whole call id (a UUID), got "${q.callId}"`);
    const entries = (await this.repo.query(q)).map(toEntry);
    const filter = Object.fromEntries(Object.entries({ ...q, since: q.since?.toISOString(), until: q.until?.toISOString() }).filter(([, v]) => v !== undefined));
    await this.audit(user, 'audit.read', { type: 'audit', id: 'log' }, { filter, entries: entries.length });
    return maskSpoken(entries);
  }
}

export function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorName,
    action: r.action,
    target: { type: r.targetType, id: r.targetId },
    callId: r.callId,
    details: r.details,
  };
}
