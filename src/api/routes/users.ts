import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { USER_ROLES } from '../../services/types.js';
import { currentUser, requireAuth, requireRole, type AppEnv } from '../auth.js';
import { body, errors, json } from '../schemas.js';

/** User administration for admins (the same use cases as `callqa users`), and a user's own password. */

const UserView = z
  .object({
    id: z.string().uuid(),
    username: z.string(),
    role: z.enum(USER_ROLES),
    agentId: z.string().nullable(),
    team: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('UserAccount');

const UserIdParam = z.object({ userId: z.string().uuid().openapi({ param: { name: 'userId', in: 'path' } }) });
const Password = z.string().min(1).max(1024).openapi({ description: 'at least 10 characters' });

const listUsers = createRoute({
  method: 'get',
  path: '/api/users',
  operationId: 'listUsers',
  tags: ['users'],
  summary: 'Every user account (admins)',
  middleware: [requireRole('admin')],
  responses: { 200: json(z.object({ users: z.array(UserView) }), 'users by name'), ...errors(401, 403) },
});

const createUser = createRoute({
  method: 'post',
  path: '/api/users',
  operationId: 'createUser',
  tags: ['users'],
  summary: 'Add a user (admins); agents need agentId, supervisors a team',
  middleware: [requireRole('admin')],
  request: {
    body: body(
      z
        .object({
          username: z.string().min(1).max(64),
          role: z.enum(USER_ROLES),
          agentId: z.string().min(1).max(200).optional(),
          team: z.string().min(1).max(200).optional(),
          password: Password,
        })
        .strict()
        .openapi('CreateUserRequest'),
    ),
  },
  responses: { 201: json(UserView, 'the new user'), ...errors(400, 401, 403, 409, 422) },
});

const updateUser = createRoute({
  method: 'patch',
  path: '/api/users/{userId}',
  operationId: 'updateUser',
  tags: ['users'],
  summary: "Change a user's role, agent id, team, or disable/enable them (admins). Ends their sessions.",
  middleware: [requireRole('admin')],
  request: {
    params: UserIdParam,
    body: body(
      z
        .object({
          role: z.enum(USER_ROLES).optional(),
          agentId: z.string().min(1).max(200).nullable().optional(),
          team: z.string().min(1).max(200).nullable().optional(),
          disabled: z.boolean().optional(),
        })
        .strict()
        .openapi('UpdateUserRequest'),
    ),
  },
  responses: { 200: json(UserView, 'the user after the change'), ...errors(400, 401, 403, 404, 409, 422) },
});

const setUserPassword = createRoute({
  method: 'post',
  path: '/api/users/{userId}/password',
  operationId: 'setUserPassword',
  tags: ['users'],
  summary: "Set a user's password (admins); ends their browser sessions",
  middleware: [requireRole('admin')],
  request: { params: UserIdParam, body: body(z.object({ password: Password }).strict()) },
  responses: { 200: json(z.object({ revokedSessions: z.number() }), 'done'), ...errors(400, 401, 403, 404, 422) },
});

const changeOwnPassword = createRoute({
  method: 'post',
  path: '/api/me/password',
  operationId: 'changeOwnPassword',
  tags: ['auth'],
  summary: 'Change your own password (the current one is checked); every session ends, log in again',
  middleware: [requireAuth],
  request: { body: body(z.object({ currentPassword: Password, newPassword: Password }).strict().openapi('ChangePasswordRequest')) },
  responses: { 200: json(z.object({ revokedSessions: z.number() }), 'done'), ...errors(400, 401, 403, 422) },
});

const TokenView = z
  .object({
    id: z.string().uuid(),
    label: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('ApiToken');

const listUserTokens = createRoute({
  method: 'get',
  path: '/api/users/{userId}/tokens',
  operationId: 'listUserTokens',
  tags: ['users'],
  summary: "A user's API tokens, newest first, with their status (admins); never the token itself",
  middleware: [requireRole('admin')],
  request: { params: UserIdParam },
  responses: { 200: json(z.object({ tokens: z.array(TokenView) }), 'tokens'), ...errors(400, 401, 403, 404) },
});

const createUserToken = createRoute({
  method: 'post',
  path: '/api/users/{userId}/tokens',
  operationId: 'createUserToken',
  tags: ['users'],
  summary: 'Create an API token acting as this user (admins; audited); the token is in this answer only',
  middleware: [requireRole('admin')],
  request: {
    params: UserIdParam,
    body: body(z.object({ label: z.string().min(1).max(200), expiresDays: z.number().positive().max(3650).optional() }).strict().openapi('CreateTokenRequest')),
  },
  responses: { 201: json(z.object({ id: z.string().uuid(), token: z.string(), expiresAt: z.string().nullable() }), 'the new token: store it now'), ...errors(400, 401, 403, 404, 409) },
});

const TokenIdParam = z.object({ tokenId: z.string().uuid().openapi({ param: { name: 'tokenId', in: 'path' } }) });
const revokeApiToken = createRoute({
  method: 'delete',
  path: '/api/tokens/{tokenId}',
  operationId: 'revokeApiToken',
  tags: ['users'],
  summary: "Revoke one API token at once (admins; audited); the user's other tokens and sessions stay",
  middleware: [requireRole('admin')],
  request: { params: TokenIdParam },
  responses: { 200: json(z.object({ username: z.string(), label: z.string(), alreadyRevoked: z.boolean() }), 'revoked'), ...errors(400, 401, 403, 404) },
});

export function registerUserRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listUsers, async (c) => c.json({ users: await c.get('services').users.list() }, 200));
  app.openapi(createUser, async (c) => c.json(await c.get('services').users.add(currentUser(c), c.req.valid('json')), 201));
  app.openapi(updateUser, async (c) => {
    const { userId } = c.req.valid('param');
    return c.json(await c.get('services').users.update(currentUser(c), userId, c.req.valid('json')), 200);
  });
  app.openapi(setUserPassword, async (c) => {
    const { userId } = c.req.valid('param');
    const r = await c.get('services').users.setPasswordById(currentUser(c), userId, c.req.valid('json').password);
    return c.json({ revokedSessions: r.revoked }, 200);
  });
  app.openapi(listUserTokens, async (c) => {
    const users = c.get('services').users;
    const u = await users.get(c.req.valid('param').userId);
    return c.json({ tokens: await users.listTokens(u.username) }, 200);
  });
  app.openapi(createUserToken, async (c) => {
    const users = c.get('services').users;
    const u = await users.get(c.req.valid('param').userId);
    const b = c.req.valid('json');
    return c.json(await users.createToken(currentUser(c), u.username, b.label, b.expiresDays), 201);
  });
  app.openapi(revokeApiToken, async (c) => c.json(await c.get('services').users.revokeToken(currentUser(c), c.req.valid('param').tokenId), 200));
  app.openapi(changeOwnPassword, async (c) => {
    const b = c.req.valid('json');
    const r = await c.get('services').users.changeOwnPassword(currentUser(c), b.currentPassword, b.newPassword);
    return c.json({ revokedSessions: r.revoked }, 200);
  });
}
