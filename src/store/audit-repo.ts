/** The append-only audit log (UPDATE/DELETE refused by a trigger, migration 0002). */
import { and, asc, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { StoreDb } from './db.js';
import { auditLog, type AuditRow } from './schema.js';

export interface NewAuditEntry {
  at: Date;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  callId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  actorName?: string;
  action?: string;
  callId?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  /** default 100 */
  limit?: number;
  order?: 'oldest' | 'newest';
}

export class AuditRepo {
  constructor(readonly db: StoreDb) {}

  async append(e: NewAuditEntry): Promise<void> {
    await this.db.insert(auditLog).values({ ...e, callId: e.callId ?? null, details: e.details ?? {} });
  }

  async query(q: AuditQuery = {}): Promise<AuditRow[]> {
    const where: SQL[] = [];
    if (q.actorName) where.push(eq(auditLog.actorName, q.actorName));
    if (q.action) where.push(eq(auditLog.action, q.action));
    if (q.callId) where.push(eq(auditLog.callId, q.callId));
    if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
    if (q.since) where.push(gte(auditLog.at, q.since));
    if (q.until) where.push(lte(auditLog.at, q.until));
    return this.db
      .select()
      .from(auditLog)
      .where(where.length ? and(...where) : undefined)
      .orderBy(q.order === 'newest' ? desc(auditLog.id) : asc(auditLog.id))
      .limit(q.limit ?? 100);
  }
}
