/**
 * Every error the API answers is JSON: `{ "error": { "code", "message", ...details } }`, with a message that
 * says what was wrong (which field, which rule). Unexpected errors answer 500 without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { WorkflowError } from '../review/errors.js';
import { fromWorkflow, ServiceError } from '../services/errors.js';

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.string().openapi({ example: 'invalid_request' }),
        message: z.string().openapi({ example: 'body.points: Invalid input: expected number, received string' }),
      })
      .catchall(z.unknown()),
  })
  .openapi('Error');

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ?? {}) } };
}

/** zod issues as one readable line: `body.points: expected number; query.limit: too big`. */
export function describeZodError(target: string, err: ZodError): { message: string; issues: { path: string; message: string }[] } {
  const where = target === 'json' ? 'body' : target === 'param' ? 'path' : target;
  const issues = err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  return { message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
}

export function handleError(err: unknown, c: Context): Response {
  if (err instanceof WorkflowError) err = fromWorkflow(err);
  if (err instanceof ServiceError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 400 ? 'invalid_request' : status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'http_error';
    return c.json(errorBody(code, err.message || `HTTP ${status}`), status);
  }
  // Unexpected: log the stack for the operator, tell the client nothing internal.
  process.stderr.write(`callqa serve: ${c.req.method} ${c.req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return c.json(errorBody('internal', 'internal error (logged on the server)'), 500);
}
