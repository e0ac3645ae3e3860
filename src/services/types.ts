import { userInfo } from 'node:os';
import type { UserRole } from '../store/schema.js';

/** The roles a user can have (the store's enum), for the API's schemas: src/api imports nothing from src/store. */
export { USER_ROLES, type UserRole } from '../store/schema.js';

/** The user a request acts as (put on the Hono context by src/api/auth.ts as `c.get('user')`). */
export interface AuthUser {
  id: string;
  username: string;
  role: UserRole;
  agentId?: string;
  team?: string;
}

/** Who did something, for the audit log: a user, or the command line / system (no user row). */
export type Actor = AuthUser | { id: null; username: string };

export const systemActor = (name = 'system'): Actor => ({ id: null, username: name });

/** The command line, as the audit log names it: "cli:" and the login of the person running it. */
export function cliActor(): Actor {
  let login = 'unknown';
  try {
    login = userInfo().username || login;
  } catch {
    // no passwd entry for this uid (a container): keep "unknown"
  }
  return systemActor(`cli:${login}`);
}
