import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { clearSessionCookies, clientAddress, currentUser, isHttps, requireAuth, setSessionCookies, type AppEnv, type AuthOptions } from '../auth.js';
import { body, errors, json, UserSchema } from '../schemas.js';

const LoginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .openapi('LoginRequest');

const Session = z
  .object({
    user: UserSchema,
    csrfToken: z.string().openapi({ description: 'send it in the X-CSRF-Token header on every state change made with the session cookie' }),
    expiresAt: z.string(),
  })
  .openapi('Session');

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  operationId: 'login',
  tags: ['auth'],
  summary: 'Log in with username and password; sets the HttpOnly session cookie',
  request: { body: body(LoginBody) },
  responses: { 200: json(Session, 'logged in'), ...errors(400, 401, 403, 429) },
});

const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  operationId: 'logout',
  tags: ['auth'],
  summary: 'End this session (the cookie stops working at once, on every server)',
  middleware: [requireAuth],
  responses: { 200: json(z.object({ ok: z.literal(true) }), 'logged out'), ...errors(401, 403) },
});

const me = createRoute({
  method: 'get',
  path: '/api/me',
  operationId: 'me',
  tags: ['auth'],
  summary: 'Who is logged in (and the CSRF token of this session)',
  middleware: [requireAuth],
  responses: {
    200: json(z.object({ user: UserSchema, csrfToken: z.string().nullable(), expiresAt: z.string().nullable(), via: z.enum(['session', 'token']) }).openapi('Me'), 'the user'),
    ...errors(401),
  },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, opts: AuthOptions): void {
  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
    const r = await c.get('services').auth.login(username, password, clientAddress(c, opts));
    setSessionCookies(c, r.sessionToken, r.csrfToken, r.expiresAt, isHttps(c, opts));
    return c.json({ user: r.user, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() }, 200);
  });

  app.openapi(logout, async (c) => {
    const auth = c.get('auth');
    if (auth?.kind === 'session') await c.get('services').auth.logout(currentUser(c), auth.sessionToken);
    clearSessionCookies(c);
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(me, async (c) => {
    const auth = c.get('auth');
    const session = auth?.kind === 'session' ? auth : null;
    return c.json({ user: currentUser(c), csrfToken: session?.csrfToken ?? null, expiresAt: session?.expiresAt.toISOString() ?? null, via: session ? ('session' as const) : ('token' as const) }, 200);
  });
}
