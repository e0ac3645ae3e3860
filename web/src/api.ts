import { signal } from '@preact/signals';

/**
 * The review API client (docs/api.md). Every request carries the session cookie; state changes also carry the
 * session's CSRF token in X-CSRF-Token. Errors become ApiError with the server's message.
 */

export type Role = 'agent' | 'inspector' | 'supervisor' | 'admin';
export interface User {
  id: string;
  username: string;
  role: Role;
  agentId?: string | null;
  team?: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the server's error object (code, message and its details, e.g. `revision` on a stale review step) */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const currentUser = signal<User | null | undefined>(undefined);
let csrfToken: string | null = null;

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && path !== '/auth/login' && path !== '/me') {
    currentUser.value = null;
  }
  if (!res.ok) {
    let message = res.statusText;
    let details: Record<string, unknown> = {};
    try {
      const j = (await res.json()) as { error?: string | { message?: string }; message?: string };
      message = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? message;
      if (j.error && typeof j.error === 'object') details = j.error as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message, details);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

interface MeResponse {
  user: User;
  csrfToken?: string;
}

export async function loadMe(): Promise<void> {
  try {
    const me = await api<MeResponse | User>('GET', '/me');
    applyMe(me);
  } catch {
    currentUser.value = null;
  }
}

function applyMe(me: MeResponse | User): void {
  if ('user' in me) {
    csrfToken = me.csrfToken ?? csrfToken;
    currentUser.value = me.user;
  } else {
    currentUser.value = me;
  }
}

export async function login(username: string, password: string): Promise<void> {
  const res = await api<MeResponse | User>('POST', '/auth/login', { username, password });
  applyMe(res);
  if (!csrfToken) await loadMe();
}

export async function logout(): Promise<void> {
  try {
    await api('POST', '/auth/logout');
  } finally {
    csrfToken = null;
    currentUser.value = null;
  }
}

/** URL of a call's playable audio (range requests; the browser's media element fetches it). */
export const audioUrl = (callId: string) => `/api/calls/${encodeURIComponent(callId)}/audio`;
