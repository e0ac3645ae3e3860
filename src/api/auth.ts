/**
 * Who is asking: a session cookie (browser) or an API token (`Authorization: Bearer cqa_...`, scripts).
 * `authenticate` puts the user on the context (`c.get('user')`); `requireAuth` / `requireRole(...)` guard
 * routes. State changes made with a cookie need the session's CSRF token in `X-CSRF-Token` (tokens sent as
 * a header cannot be forged cross-site, so bearer requests need none), and a cross-site Origin is refused.
 * Per-object access (which call) is the services' job: `CallAccess.authorizeCall` (re-exported here).
 */
import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Services } from '../services/index.js';
import { forbidden, ServiceError, unauthorized } from '../services/errors.js';
import type { AuthUser } from '../services/types.js';
import type { UserRole } from '../services/types.js';

export type { AuthUser } from '../services/types.js';
export { CallAccess, callScope } from '../services/call-access.js';

export const SESSION_COOKIE = 'callqa_session';
export const CSRF_COOKIE = 'callqa_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

export type AuthInfo = { kind: 'session'; sessionToken: string; csrfToken: string; expiresAt: Date } | { kind: 'token' };

export interface AppEnv {
  Variables: {
    services: Services;
    user: AuthUser | undefined;
    auth: AuthInfo | undefined;
  };
}

export interface AuthOptions {
  /** take the client address from X-Forwarded-For / X-Forwarded-Proto (behind a reverse proxy you trust) */
  trustProxy?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function clientAddress(c: Context, opts: AuthOptions): string {
  if (opts.trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function isHttps(c: Context, opts: AuthOptions): boolean {
  if (opts.trustProxy && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

/** Refuses a state change whose Origin header names another site (login CSRF, and a second fence for the rest). */
function checkOrigin(c: Context, opts: AuthOptions): void {
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return;
  const host = (opts.trustProxy && c.req.header('x-forwarded-host')) || c.req.header('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw forbidden(`cross-site request refused: bad Origin header`);
  }
  if (originHost !== host) throw forbidden(`cross-site request refused: Origin ${origin} is not this server`);
}

export function authenticate(opts: AuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = c.get('services');
    const unsafe = !SAFE_METHODS.has(c.req.method);
    if (unsafe) checkOrigin(c, opts);
    const header = c.req.header('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw unauthorized('Authorization header: expected "Bearer <token>"');
      const user = await services.auth.fromApiToken(m[1]!);
      if (!user) throw unauthorized('API token unknown, expired or revoked');
      c.set('user', user);
      c.set('auth', { kind: 'token' });
      return next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) {
      const s = await services.auth.fromSession(cookie);
      if (s) {
        // login makes a new session whatever the old one was: no CSRF token to ask for there (Origin still is)
        if (unsafe && c.req.path !== '/api/auth/login') {
          const sent = c.req.header(CSRF_HEADER);
          if (!sent || !sameToken(sent, s.csrfToken)) {
            throw new ServiceError(403, 'csrf_failed', `state changes with a session cookie need the session's CSRF token in the ${CSRF_HEADER} header (from login or GET /api/me)`);
          }
        }
        c.set('user', s.user);
        c.set('auth', { kind: 'session', sessionToken: cookie, csrfToken: s.csrfToken, expiresAt: s.expiresAt });
      }
    }
    return next();
  };
}

export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('user')) throw unauthorized();
  return next();
};

/** 401 without a user; 403 for a role not listed. */
export function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user) throw unauthorized();
    if (!roles.includes(user.role)) throw forbidden(`this operation is for ${roles.join(' or ')} users; you are ${user.role}`);
    return next();
  };
}

/** The authenticated user (after requireAuth / requireRole). */
export function currentUser(c: Context<AppEnv>): AuthUser {
  const u = c.get('user');
  if (!u) throw unauthorized();
  return u;
}

export function setSessionCookies(c: Context, token: string, csrfToken: string, expiresAt: Date, secure: boolean): void {
  const common = { path: '/', sameSite: 'Strict' as const, secure, expires: expiresAt };
  setCookie(c, SESSION_COOKIE, token, { ...common, httpOnly: true });
  // readable by the page's script, which echoes it in X-CSRF-Token; useless to another site (SameSite, Origin)
  setCookie(c, CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
}
