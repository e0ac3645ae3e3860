/**
 * Why a workflow rule refused an action. Pure code throws these; the API maps `kind` to an HTTP status
 * (invalid 422, conflict 409, not_found 404) and the CLI prints the message.
 */
export type WorkflowErrorKind = 'invalid' | 'conflict' | 'not_found';

export class WorkflowError extends Error {
  constructor(
    readonly kind: WorkflowErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'WorkflowError';
  }
}
