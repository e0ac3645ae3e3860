/**
 * Logging in and out, and who a request is. Sessions and login attempts live in the database, so any
 * number of `callqa serve` processes share them. Failed logins are throttled per username and per address.
 */
import type { StoreDb } from '../store/db.js';
import { UsersRepo } from '../store/users-repo.js';
import type { AuditService } from './audit.js';
import { ServiceError } from './errors.js';
import { dummyPasswordHash, newToken, sha256, verifyPassword } from './passwords.js';
import type { AuthUser } from './types.js';
import { authUser } from './users.js';

export interface AuthSettings {
  /** how long a session lasts after login (default 12 h: one working shift and a bit) */
  sessionTtlSec: number;
  /** failed attempts counted over this window */
  throttleWindowSec: number;
  /** failures per username within the window before logins for it answer 429 */
  maxFailuresPerUser: number;
  /** failures per address within the window before logins from it answer 429 */
  maxFailuresPerAddress: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionTtlSec: 12 * 3600,
  throttleWindowSec: 15 * 60,
  maxFailuresPerUser: 5,
  maxFailuresPerAddress: 20,
};

export interface LoginResult {
  user: AuthUser;
  /** the cookie value (returned once; only its hash is stored) */
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export class AuthService {
  readonly repo: UsersRepo;
  constructor(
    db: StoreDb,
    private readonly audit: AuditService,
    private readonly now: () => Date,
    readonly settings: AuthSettings = DEFAULT_AUTH_SETTINGS,
  ) {
    this.repo = new UsersRepo(db);
  }

  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const now = this.now();
    const since = new Date(now.getTime() - this.settings.throttleWindowSec * 1000);
    const f = await this.repo.recentFailures(username, address, since);
    const overUser = f.user >= this.settings.maxFailuresPerUser;
    const overAddress = f.address >= this.settings.maxFailuresPerAddress;
    if (overUser || overAddress) {
      const oldest = (overUser ? f.userOldest : f.addressOldest) ?? now;
      const retryAfterSec = Math.max(1, Math.ceil((oldest.getTime() + this.settings.throttleWindowSec * 1000 - now.getTime()) / 1000));
      await this.audit.audit({ id: null, username }, 'session.login_throttled', { type: 'user', id: username }, { address, by: overUser ? 'user' : 'address' });
      throw new ServiceError(
        429,
        'too_many_attempts',
        `too many failed logins ${overUser ? 'for this user' : 'from this address'}: try again in ${retryAfterSec} s`,
        { retryAfterSec },
        { 'Retry-After': String(retryAfterSec) },
      );
    }
    const user = await this.repo.getUserByName(username);
    // check a password even for an unknown user, so the answer takes as long either way
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok || user.disabled) {
      await this.repo.recordLoginAttempt({ username, address, success: false, at: now });
      await this.audit.audit(user ? authUser(user) : { id: null, username }, 'session.login_failed', { type: 'user', id: user?.id ?? username }, { address });
      // one message for unknown user, wrong password and disabled account: nothing to enumerate
      throw new ServiceError(401, 'bad_credentials', 'wrong username or password (or the account is disabled)');
    }
    await this.repo.recordLoginAttempt({ username, address, success: true, at: now });
    // housekeeping on the way: attempts older than a day, sessions ended over 30 days ago
    await this.repo.prune(new Date(now.getTime() - Math.max(86_400, this.settings.throttleWindowSec) * 1000), new Date(now.getTime() - 30 * 86_400_000));
    const sessionToken = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlSec * 1000);
    await this.repo.createSession({ tokenHash: sha256(sessionToken), userId: user.id, csrfToken, expiresAt, address, now });
    const au = authUser(user);
    await this.audit.audit(au, 'session.login', { type: 'user', id: user.id }, { address });
    return { user: au, sessionToken, csrfToken, expiresAt };
  }

  /** The user of a live session cookie, with the session's CSRF token; null if absent, expired or revoked. */
  async fromSession(sessionToken: string): Promise<{ user: AuthUser; csrfToken: string; expiresAt: Date } | null> {
    const s = await this.repo.findLiveSession(sha256(sessionToken), this.now());
    return s ? { user: authUser(s.user), csrfToken: s.csrfToken, expiresAt: s.expiresAt } : null;
  }

  async fromApiToken(token: string): Promise<AuthUser | null> {
    const t = await this.repo.findLiveToken(sha256(token), this.now());
    return t ? authUser(t.user) : null;
  }

  async logout(user: AuthUser, sessionToken: string): Promise<void> {
    await this.repo.revokeSession(sha256(sessionToken), this.now());
    await this.audit.audit(user, 'session.logout', { type: 'user', id: user.id });
  }
}
