import { WorkflowError } from '../review/errors.js';

/**
 * An error a use case reports to its caller with the HTTP status it means. The API turns it into
 * `{ error: { code, message, ...details } }`; the CLI prints the message. Messages never carry transcript text.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string) => new ServiceError(403, 'forbidden', message);
export const unauthorized = (message = 'log in first (session cookie or Authorization: Bearer token)') =>
  new ServiceError(401, 'unauthorized', message);

/** A pure workflow rule's refusal, as a ServiceError. */
export function fromWorkflow(err: WorkflowError): ServiceError {
  const status = err.kind === 'not_found' ? 404 : err.kind === 'conflict' ? 409 : 422;
  const code = err.kind === 'not_found' ? 'not_found' : err.kind === 'conflict' ? 'conflict' : 'invalid';
  return new ServiceError(status, code, err.message, err.details);
}

/** Runs a pure rule, turning its WorkflowError into a ServiceError. */
export function rule<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WorkflowError) throw fromWorkflow(err);
    throw err;
  }
}
