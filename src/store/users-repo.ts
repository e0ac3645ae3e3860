/**
 * Users, sessions, API tokens and login attempts. Written over the drizzle PgDatabase type: the same code on
 * PGlite and on PostgreSQL.
 */
import { and, asc, count, desc, eq, gt, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { StoreDb } from './db.js';
import { apiTokens, loginAttempts, sessions, users, type UserRole, type UserRow } from './schema.js';

export interface NewUser {
  username: string;
  role: UserRole;
  agentId?: string | null;
  team?: string | null;
  passwordHash: string;
}

export class UsersRepo {
  constructor(readonly db: StoreDb) {}

  async addUser(u: NewUser): Promise<UserRow | null> {
    const [row] = await this.db
      .insert(users)
      .values({ username: u.username, role: u.role, agentId: u.agentId ?? null, team: u.team ?? null, passwordHash: u.passwordHash })
      .onConflictDoNothing({ target: users.username })
      .returning();
    return row ?? null;
  }

  async getUserByName(username: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row ?? null;
  }

  async getUser(id: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row ?? null;
  }

  async listUsers(): Promise<UserRow[]> {
    return this.db.select().from(users).orderBy(asc(users.username));
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.db.update(users).set({ disabled, updatedAt: sql`now()` }).where(eq(users.id, id));
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash, updatedAt: sql`now()` }).where(eq(users.id, id));
  }

  async updateUser(id: string, patch: Partial<Pick<UserRow, 'role' | 'agentId' | 'team' | 'disabled'>>): Promise<UserRow | null> {
    const [row] = await this.db
      .update(users)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(users.id, id))
      .returning();
    return row ?? null;
  }

  /** Active (not disabled) agent users who carry `agentId`: whoever logs in as one of them sees that agent's calls. */
  async activeAgentsWithId(agentId: string): Promise<UserRow[]> {
    return this.db
      .select()
      .from(users)
      .where(and(eq(users.role, 'agent'), eq(users.agentId, agentId), eq(users.disabled, false)))
      .orderBy(asc(users.username));
  }

  async countActiveAdmins(): Promise<number> {
    const [r] = await this.db.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), eq(users.disabled, false)));
    return Number(r?.n ?? 0);
  }

  // ------------------------------------------------------------------------------------------ sessions

  async createSession(s: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date; address: string | null; now: Date }): Promise<void> {
    await this.db.insert(sessions).values({
      tokenHash: s.tokenHash,
      userId: s.userId,
      csrfToken: s.csrfToken,
      expiresAt: s.expiresAt,
      address: s.address,
      createdAt: s.now,
    });
  }

  /** The live session for a token hash with its user (not expired, not revoked, user enabled), or null. */
  async findLiveSession(tokenHash: string, now: Date): Promise<{ user: UserRow; csrfToken: string; expiresAt: Date } | null> {
    const [row] = await this.db
      .select({ user: users, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(users.disabled, false)));
    return row ?? null;
  }

  async revokeSession(tokenHash: string, now: Date): Promise<void> {
    await this.db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
  }

  /** Revokes every session and API token of a user (disable, password change). Returns how many. */
  async revokeAllFor(userId: string, now: Date, opts: { tokens: boolean }): Promise<number> {
    const s = await this.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.tokenHash });
    let n = s.length;
    if (opts.tokens) {
      const t = await this.db
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      n += t.length;
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------- API tokens

  async createToken(t: { tokenHash: string; userId: string; label: string; expiresAt: Date | null; now: Date }): Promise<string> {
    const [row] = await this.db
      .insert(apiTokens)
      .values({ tokenHash: t.tokenHash, userId: t.userId, label: t.label, expiresAt: t.expiresAt, createdAt: t.now })
      .returning({ id: apiTokens.id });
    return row!.id;
  }

  /** A user's API tokens, newest first (never the hash). */
  async listTokens(userId: string): Promise<Array<{ id: string; label: string; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null }>> {
    return this.db
      .select({ id: apiTokens.id, label: apiTokens.label, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(desc(apiTokens.createdAt), asc(apiTokens.id));
  }

  /** Revokes one API token; its owner's id, whether it was already revoked, or null when there is no such token. */
  async revokeToken(id: string, now: Date): Promise<{ userId: string; label: string; alreadyRevoked: boolean } | null> {
    const [row] = await this.db.select({ userId: apiTokens.userId, label: apiTokens.label, revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, id));
    if (!row) return null;
    if (!row.revokedAt) await this.db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
    return { userId: row.userId, label: row.label, alreadyRevoked: row.revokedAt !== null };
  }

  async findLiveToken(tokenHash: string, now: Date): Promise<{ user: UserRow; tokenId: string } | null> {
    const [row] = await this.db
      .select({ user: users, tokenId: apiTokens.id })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, tokenHash),
          isNull(apiTokens.revokedAt),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
          eq(users.disabled, false),
        ),
      );
    return row ?? null;
  }

  /** Deletes login attempts older than `attemptsBefore` and sessions that ended before `sessionsBefore`. */
  async prune(attemptsBefore: Date, sessionsBefore: Date): Promise<void> {
    await this.db.delete(loginAttempts).where(lt(loginAttempts.at, attemptsBefore));
    await this.db.delete(sessions).where(or(lt(sessions.expiresAt, sessionsBefore), lt(sessions.revokedAt, sessionsBefore)));
  }

  // ------------------------------------------------------------------------------------ login attempts

  async recordLoginAttempt(a: { username: string; address: string; success: boolean; at: Date }): Promise<void> {
    await this.db.insert(loginAttempts).values(a);
  }

  /**
   * Failed attempts since `since` for a username, counting only those after its last successful login, and
   * for an address; plus the oldest counted failure of each (for Retry-After).
   */
  async recentFailures(username: string, address: string, since: Date): Promise<{ user: number; address: number; userOldest: Date | null; addressOldest: Date | null }> {
    // by id, not time: attempts in the same instant still count in the order they were made
    const lastSuccess = this.db
      .select({ id: sql`max(${loginAttempts.id})` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.username, username), eq(loginAttempts.success, true)));
    const [u] = await this.db
      .select({ n: count(), oldest: sql<string | null>`min(${loginAttempts.at})` })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.username, username),
          eq(loginAttempts.success, false),
          gte(loginAttempts.at, since),
          sql`${loginAttempts.id} > coalesce((${lastSuccess}), 0)`,
        ),
      );
    const [a] = await this.db
      .select({ n: count(), oldest: sql<string | null>`min(${loginAttempts.at})` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.address, address), eq(loginAttempts.success, false), gte(loginAttempts.at, since)));
    const toDate = (v: unknown) => (v == null ? null : new Date(v as string));
    return { user: Number(u?.n ?? 0), address: Number(a?.n ?? 0), userOldest: toDate(u?.oldest), addressOldest: toDate(a?.oldest) };
  }
}
