/**
 * Who may see which call, decided here (the service layer) against the object, not only at the route:
 *  - agent: calls whose metadata agentId is theirs;
 *  - inspector: calls assigned to them, unassigned calls not yet completed (the queue), and reviews they made;
 *    also completed calls of an open calibration session they are a member of (read only: completed);
 *  - supervisor: calls of their team (the call's metadata team, or the team of the agent user it belongs to);
 *  - admin: every call (read; admins keep users and programs, they do not review).
 * A call the user may not see is answered exactly like a call that does not exist: 404.
 */
import { CallsRepo, type CallRow, type CallScope } from '../store/calls-repo.js';
import type { StoreDb } from '../store/db.js';
import { notFound } from './errors.js';
import type { AuthUser } from './types.js';

export function callScope(user: AuthUser): CallScope {
  switch (user.role) {
    case 'admin':
      return { kind: 'all' };
    case 'agent':
      return user.agentId ? { kind: 'agent', agentId: user.agentId } : { kind: 'none' };
    case 'supervisor':
      return user.team ? { kind: 'team', team: user.team } : { kind: 'none' };
    case 'inspector':
      return { kind: 'inspector', userId: user.id };
  }
}

/**
 * The name a call's recording is shown under. It is stored as it was given to `callqa analyze` or `enqueue`,
 * often a path on the server (/srv/recordings/2026-11-30/x.wav): admins, who run the server, see it as stored;
 * everyone else the file's own name, without the folders.
 */
export function shownFileName(user: Pick<AuthUser, 'role'>, fileName: string): string {
  return user.role === 'admin' ? fileName : fileName.split(/[\\/]/).pop() || fileName;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuids in the database: anything else cannot name an object (and must not reach a uuid cast). */
export const isUuid = (id: string): boolean => UUID.test(id);

export class CallAccess {
  readonly repo: CallsRepo;
  constructor(db: StoreDb) {
    this.repo = new CallsRepo(db);
  }

  /** The call if `user` may see it; otherwise ServiceError 404 (never 403: the id tells nothing). */
  async authorizeCall(user: AuthUser, callId: string): Promise<CallRow> {
    if (!isUuid(callId)) throw notFound(`call ${callId}`);
    const call = await this.repo.getCall(callScope(user), callId);
    if (!call) throw notFound(`call ${callId}`);
    return call;
  }
}
