/**
 * User administration (the `callqa users` commands): add, list, disable/enable, set a password, API tokens.
 * Disabling a user or changing a password revokes their sessions (and, on disable, their API tokens).
 */
import type { StoreDb } from '../store/db.js';
import { USER_ROLES, type UserRole, type UserRow } from '../store/schema.js';
import { UsersRepo } from '../store/users-repo.js';
import type { AuditService } from './audit.js';
import { isUuid } from './call-access.js';
import { ServiceError } from './errors.js';
import { hashPassword, newToken, passwordProblem, sha256, verifyPassword } from './passwords.js';
import type { Actor, AuthUser } from './types.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const API_TOKEN_PREFIX = 'cqa_';

export interface UserView {
  id: string;
  username: string;
  role: UserRole;
  agentId: string | null;
  team: string | null;
  disabled: boolean;
  createdAt: string;
}

/** An API token as admins see it: never the token or its hash. */
export interface TokenView {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export function userView(u: UserRow): UserView {
  return { id: u.id, username: u.username, role: u.role, agentId: u.agentId, team: u.team, disabled: u.disabled, createdAt: u.createdAt.toISOString() };
}

export function authUser(u: UserRow): AuthUser {
  return { id: u.id, username: u.username, role: u.role, ...(u.agentId ? { agentId: u.agentId } : {}), ...(u.team ? { team: u.team } : {}) };
}

export interface AddUserInput {
  username: string;
  role: string;
  agentId?: string;
  team?: string;
  password: string;
}

export class UsersService {
  readonly repo: UsersRepo;
  constructor(
    db: StoreDb,
    private readonly audit: AuditService,
    private readonly now: () => Date,
  ) {
    this.repo = new UsersRepo(db);
  }

  async add(actor: Actor, input: AddUserInput): Promise<UserView> {
    if (!USERNAME_PATTERN.test(input.username)) {
      throw new ServiceError(422, 'invalid', `username "${input.username}": use letters, digits and . _ @ - (at most 64, starting with a letter or digit)`);
    }
    if (!(USER_ROLES as readonly string[]).includes(input.role)) {
      throw new ServiceError(422, 'invalid', `role "${input.role}": one of ${USER_ROLES.join(', ')}`);
    }
    const role = input.role as UserRole;
    if (role === 'agent' && !input.agentId) {
      throw new ServiceError(422, 'invalid', 'an agent needs --agent-id: the agentId their calls carry in the call metadata');
    }
    if (role === 'supervisor' && !input.team) {
      throw new ServiceError(422, 'invalid', 'a supervisor needs --team: the team whose calls and disputes they handle');
    }
    const problem = passwordProblem(input.password);
    if (problem) throw new ServiceError(422, 'invalid', problem);
    if (role === 'agent') await this.agentIdFree(input.agentId!, null);
    const row = await this.repo.addUser({
      username: input.username,
      role,
      agentId: input.agentId ?? null,
      team: input.team ?? null,
      passwordHash: await hashPassword(input.password),
    });
    if (!row) throw new ServiceError(409, 'conflict', `user "${input.username}" already exists`);
    await this.audit.audit(actor, 'user.add', { type: 'user', id: row.id }, { username: row.username, role, agentId: row.agentId, team: row.team });
    return userView(row);
  }

  /**
   * An agent sees every call whose metadata carries their agentId, and disputes them as their own: two active
   * agent users with one agentId would each see, and dispute, the other's calls (and the second one's team
   * supervisor would see the first one's calls). A disabled user's agentId can be given to someone new.
   */
  private async agentIdFree(agentId: string, self: string | null): Promise<void> {
    const holder = (await this.repo.activeAgentsWithId(agentId)).find((o) => o.id !== self);
    if (holder) {
      throw new ServiceError(409, 'conflict', `agent id ${agentId} already belongs to the active agent user "${holder.username}": disable that user first, or use the right agent id`);
    }
  }

  async get(id: string): Promise<UserView> {
    return userView(await this.mustGetId(id));
  }

  private async mustGetId(id: string): Promise<UserRow> {
    const u = isUuid(id) ? await this.repo.getUser(id) : null;
    if (!u) throw new ServiceError(404, 'not_found', `user ${id} not found`);
    return u;
  }

  /**
   * Changes a user's role, agent id, team or disabled flag (admins, through the API). The last active admin
   * cannot be demoted or disabled (nobody could manage users any more). Disabling revokes sessions and tokens;
   * a role change ends sessions, so the new rights apply from the next login.
   */
  async update(actor: Actor, id: string, patch: { role?: string; agentId?: string | null; team?: string | null; disabled?: boolean }): Promise<UserView> {
    const u = await this.mustGetId(id);
    if (patch.role !== undefined && !(USER_ROLES as readonly string[]).includes(patch.role)) {
      throw new ServiceError(422, 'invalid', `role "${patch.role}": one of ${USER_ROLES.join(', ')}`);
    }
    const next = {
      role: (patch.role ?? u.role) as UserRole,
      agentId: patch.agentId === undefined ? u.agentId : patch.agentId,
      team: patch.team === undefined ? u.team : patch.team,
      disabled: patch.disabled ?? u.disabled,
    };
    if (next.role === 'agent' && !next.agentId) throw new ServiceError(422, 'invalid', 'an agent needs an agentId: the agentId their calls carry in the call metadata');
    if (next.role === 'supervisor' && !next.team) throw new ServiceError(422, 'invalid', 'a supervisor needs a team');
    if (next.role === 'agent' && !next.disabled) await this.agentIdFree(next.agentId!, u.id);
    const losesAdmin = u.role === 'admin' && !u.disabled && (next.role !== 'admin' || next.disabled);
    if (losesAdmin && (await this.repo.countActiveAdmins()) <= 1) {
      throw new ServiceError(409, 'conflict', `${u.username} is the last active admin: add another admin first`);
    }
    const row = (await this.repo.updateUser(u.id, next))!;
    let revoked = 0;
    if (next.disabled && !u.disabled) revoked = await this.repo.revokeAllFor(u.id, this.now(), { tokens: true });
    else if (next.role !== u.role || next.agentId !== u.agentId || next.team !== u.team) revoked = await this.repo.revokeAllFor(u.id, this.now(), { tokens: false });
    const changed = Object.fromEntries(
      (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== u[k]).map((k) => [k, { from: u[k], to: next[k] }]),
    );
    await this.audit.audit(actor, 'user.update', { type: 'user', id: u.id }, { username: u.username, changed, revoked });
    return userView(row);
  }

  async setPasswordById(actor: Actor, id: string, password: string): Promise<{ revoked: number }> {
    const u = await this.mustGetId(id);
    return this.setPassword(actor, u.username, password);
  }

  /** A user changes their own password: the current one is checked; other sessions end, this one too. */
  async changeOwnPassword(user: AuthUser, current: string, next: string): Promise<{ revoked: number }> {
    const u = await this.mustGetId(user.id);
    if (!(await verifyPassword(current, u.passwordHash))) {
      await this.audit.audit(user, 'user.set_password_failed', { type: 'user', id: u.id }, {});
      throw new ServiceError(403, 'forbidden', 'the current password is wrong');
    }
    return this.setPassword(user, u.username, next);
  }

  async list(): Promise<UserView[]> {
    return (await this.repo.listUsers()).map(userView);
  }

  private async mustGet(username: string): Promise<UserRow> {
    const u = await this.repo.getUserByName(username);
    if (!u) throw new ServiceError(404, 'not_found', `no user "${username}"`);
    return u;
  }

  /**
   * Disables or enables a user. `changed` is false when the user already was in that state: enabling an
   * active user then does nothing (no write, no audit entry); disabling a disabled one still revokes any
   * session or token left over, so the call stays a sure way to lock someone out.
   */
  async setDisabled(actor: Actor, username: string, disabled: boolean): Promise<{ user: UserView; revoked: number; changed: boolean }> {
    const u = await this.mustGet(username);
    const changed = u.disabled !== disabled;
    if (!changed && !disabled) return { user: userView(u), revoked: 0, changed };
    await this.repo.setDisabled(u.id, disabled);
    const revoked = disabled ? await this.repo.revokeAllFor(u.id, this.now(), { tokens: true }) : 0;
    await this.audit.audit(actor, disabled ? 'user.disable' : 'user.enable', { type: 'user', id: u.id }, { username, revoked });
    return { user: userView({ ...u, disabled }), revoked, changed };
  }

  async setPassword(actor: Actor, username: string, password: string): Promise<{ revoked: number }> {
    const problem = passwordProblem(password);
    if (problem) throw new ServiceError(422, 'invalid', problem);
    const u = await this.mustGet(username);
    await this.repo.setPasswordHash(u.id, await hashPassword(password));
    // a new password ends every browser session; API tokens are separate credentials and stay
    const revoked = await this.repo.revokeAllFor(u.id, this.now(), { tokens: false });
    await this.audit.audit(actor, 'user.set_password', { type: 'user', id: u.id }, { username, revokedSessions: revoked });
    return { revoked };
  }

  /** Creates an API token for scripts; the token is returned once and only its hash is stored. */
  async createToken(actor: Actor, username: string, label: string, expiresDays?: number): Promise<{ token: string; id: string; expiresAt: string | null }> {
    const u = await this.mustGet(username);
    if (u.disabled) throw new ServiceError(409, 'conflict', `user "${username}" is disabled`);
    const token = newToken(API_TOKEN_PREFIX);
    const now = this.now();
    const expiresAt = expiresDays ? new Date(now.getTime() + expiresDays * 86_400_000) : null;
    const id = await this.repo.createToken({ tokenHash: sha256(token), userId: u.id, label, expiresAt, now });
    await this.audit.audit(actor, 'token.create', { type: 'api_token', id }, { username, label, expiresAt: expiresAt?.toISOString() ?? null });
    return { token, id, expiresAt: expiresAt?.toISOString() ?? null };
  }

  /** A user's API tokens, newest first, with their status (the token itself is never shown again). */
  async listTokens(username: string): Promise<TokenView[]> {
    const u = await this.mustGet(username);
    const now = this.now();
    return (await this.repo.listTokens(u.id)).map((t) => ({
      id: t.id,
      label: t.label,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
      status: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= now ? 'expired' : 'active',
    }));
  }

  /** Revokes one API token at once (the user's other tokens and sessions stay); revoking twice is a no-op. */
  async revokeToken(actor: Actor, id: string): Promise<{ username: string; label: string; alreadyRevoked: boolean }> {
    const r = isUuid(id) ? await this.repo.revokeToken(id, this.now()) : null;
    if (!r) throw new ServiceError(404, 'not_found', `API token ${id} not found`);
    const u = await this.repo.getUser(r.userId);
    if (!r.alreadyRevoked) await this.audit.audit(actor, 'token.revoke', { type: 'api_token', id }, { username: u?.username ?? null, label: r.label });
    return { username: u?.username ?? '', label: r.label, alreadyRevoked: r.alreadyRevoked };
  }
}
