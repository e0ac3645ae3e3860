/**
 * The HTTP app of `callqa serve`: the API under /api (OpenAPI 3 document at /api/openapi.json, generated from
 * the route schemas), and the web UI's built files at / (a placeholder page until the UI is built).
 * Stateless between requests: users, sessions and everything else live in the database, so several serve
 * processes can share one PostgreSQL behind a proxy.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Services } from '../services/index.js';
import { authenticate, type AppEnv, type AuthOptions } from './auth.js';
import { describeZodError, errorBody, handleError } from './errors.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerCallRoutes } from './routes/calls.js';
import { registerDisputeRoutes } from './routes/disputes.js';
import { registerMediaRoutes } from './routes/media.js';
import { registerReviewRoutes } from './routes/reviews.js';
import { registerUserRoutes } from './routes/users.js';
import { registerDataRoutes } from './routes/data.js';
import { registerTriageRoutes } from './routes/triage.js';
import { registerCalibrationRoutes } from './routes/calibration.js';
import { registerRulesRoutes } from './routes/rules.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerAuditRoutes } from './routes/audit.js';

export interface AppDeps extends AuthOptions {
  services: Services;
  /** folder of the built web UI (default: dist/web of this checkout) */
  webDir?: string;
  version?: string;
}

/** No request body of this API nests deeper; a deeper one is refused before it is walked. */
const MAX_BODY_DEPTH = 32;
const TOO_DEEP = Symbol('too deep');

/**
 * Where in a parsed JSON value a string (or key) holds U+0000, e.g. "body.reason.comment"; null when none does;
 * TOO_DEEP past MAX_BODY_DEPTH levels (a body nested 200 000 deep ran this walk out of stack: a 500 before sign-in).
 */
function nulPath(v: unknown, at: string, depth = 0): string | null | typeof TOO_DEEP {
  if (typeof v === 'string') return v.includes('\u0000') ? at : null;
  if (!v || typeof v !== 'object') return null;
  if (depth >= MAX_BODY_DEPTH) return TOO_DEEP;
  const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
  for (const [k, x] of entries) {
    if (k.includes('\u0000')) return at;
    const p = nulPath(x, `${at}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL in a comment, a reason, a search or a filter would fail its query
 * (500). Refused up front as the bad input it is, naming where (the value itself is not echoed).
 */
const refuseNul: MiddlewareHandler<AppEnv> = async (c, next) => {
  const refuse = (where: string, message = 'the NUL character (U+0000) is not allowed in text') =>
    c.json(errorBody('invalid_request', `${where}: ${message}`, { issues: [{ path: where, message }] }), 400);
  const url = new URL(c.req.url);
  if (/%00/.test(url.pathname) || url.pathname.includes('\u0000')) return refuse('path');
  for (const [k, v] of url.searchParams) if (k.includes('\u0000') || v.includes('\u0000')) return refuse(`query.${k.replace(/\u0000/g, '')}`);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /json/i.test(c.req.header('content-type') ?? '')) {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      body = undefined; // malformed JSON: the route's validation says so
    }
    const where = nulPath(body, 'body');
    if (where === TOO_DEEP) return refuse('body', `nested more than ${MAX_BODY_DEPTH} levels deep`);
    if (where) return refuse(where);
  }
  await next();
};

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, issues } = describeZodError(result.target, result.error);
        return c.json(errorBody('invalid_request', message, { issues }), 400);
      }
    },
  });
  app.onError(handleError);
  app.use('*', async (c, next) => {
    c.set('services', deps.services);
    await next();
  });
  // nosniff, frame and opener isolation, no referrer; HSTS is left to the operator's TLS proxy
  app.use('*', secureHeaders({ strictTransportSecurity: false }));
  // no operation takes more than a few kilobytes of JSON: refuse big bodies before parsing them
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => c.json(errorBody('payload_too_large', 'request body over 1 MiB'), 413),
    }),
  );
  app.use('/api/*', refuseNul);
  app.use('/api/*', authenticate(deps));

  // one line per resource (routes/<resource>.ts)
  registerAuthRoutes(app, deps);
  registerCallRoutes(app);
  registerReviewRoutes(app);
  registerDisputeRoutes(app);
  registerUserRoutes(app);
  registerTriageRoutes(app);
  registerCalibrationRoutes(app);
  registerRulesRoutes(app);
  registerSearchRoutes(app);
  registerMediaRoutes(app);
  registerDataRoutes(app);
  registerAuditRoutes(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'callqa_session',
    description: 'set by login; state changes also need the X-CSRF-Token header',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'token', {
    type: 'http',
    scheme: 'bearer',
    description: 'API token for scripts: callqa users token NAME',
  });
  app.doc('/api/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'callqa review API',
      version: deps.version ?? '0',
      description: 'Inspectors confirm or override draft scorecards; agents dispute; supervisors rule; everything audited. See docs/api.md.',
    },
    security: [{ session: [] }, { token: [] }],
  });

  app.all('/api/*', (c) => c.json(errorBody('not_found', `no API operation ${c.req.method} ${c.req.path} (see /api/openapi.json)`), 404));

  const webDir = deps.webDir ?? DEFAULT_WEB_DIR;
  if (existsSync(path.join(webDir, 'index.html'))) {
    app.use('/*', serveStatic({ root: webDir }));
    // client-side routes: any other GET page answers the app's index.html
    app.get('*', serveStatic({ root: webDir, path: 'index.html' }));
  } else {
    app.get('/', (c) => c.html(PLACEHOLDER));
  }
  return app;
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>callqa</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>callqa</h1>
<p>The review API is running under <code>/api</code>; its OpenAPI document is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<p>The web UI is not built in this installation (no <code>dist/web/index.html</code>): run <code>npm run build</code>.</p>
<p lang="zh">质检复核接口已启动（<code>/api</code>）。网页界面尚未构建：请运行 <code>npm run build</code>。</p>
</body></html>`;
