/**
 * Shared set-up for API tests: the two database backends (embedded PGlite in a temp folder; a fresh database
 * on the PostgreSQL server, dropped afterwards), real analysed sample calls, the app served over real HTTP on
 * port 0, and a small client that logs in and keeps the session cookie and CSRF token like a browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { DB_BACKENDS } from './db-backends.js';
import { createApp } from '../../src/api/app.js';
import type { CallMetadata } from '../../src/core/types.js';
import { resolvePipeline } from '../../src/pipeline/loader.js';
import { analyzeFile } from '../../src/pipeline/runner.js';
import { createServices, type ServiceOptions, type Services } from '../../src/services/index.js';
import { systemActor, type AuthUser } from '../../src/services/types.js';
import { authUser } from '../../src/services/users.js';
import { openStore, type OpenStoreOptions, type RunReport, type Store } from '../../src/store/index.js';

export const SAMPLES = path.join(import.meta.dirname, '..', '..', 'samples');

// the two databases (one definition, test/support/db-backends.ts), under the names API suites import
export { PG_ADMIN_URL as ADMIN_URL, pgliteBackend, postgresBackend, type DbBackend as Backend } from './db-backends.js';
export const BACKENDS = DB_BACKENDS;

export interface SampleCall {
  file: string;
  pipeline: string;
  metadata: CallMetadata;
}

export interface AnalysedCall extends SampleCall {
  report: RunReport;
}

/**
 * Analyses sample calls once with the real pipeline (audio analysis, sidecar transcript, text detectors,
 * scorecard) into a scratch embedded database, so each backend can be loaded with the same real results.
 */
export async function analyseSamples(calls: SampleCall[]): Promise<AnalysedCall[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callqa-api-analyse-'));
  const store = await openStore({ dataDir: dir });
  try {
    const out: AnalysedCall[] = [];
    for (const c of calls) {
      const outcome = await analyzeFile(
        { path: path.join(SAMPLES, c.file), displayName: c.file, metadata: c.metadata },
        { repo: store.repo, pipeline: resolvePipeline(c.pipeline), options: { transcribe: false }, versions: { test: '1' } },
      );
      if (outcome.status === 'failed') throw outcome.error;
      if (outcome.status === 'duplicate') throw new Error(`${c.file}: a duplicate of ${outcome.of}`);
      out.push({ ...c, report: outcome.report });
    }
    return out;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores analysed calls in a store through the repository, as the analysis did; returns the call ids. */
export async function loadCalls(store: Store, calls: AnalysedCall[]): Promise<string[]> {
  const ids: string[] = [];
  for (const c of calls) {
    const r = c.report;
    const rec = r.recording;
    const { id } = await store.repo.upsertRecording({
      contentHash: rec.contentHash,
      path: rec.path,
      fileName: rec.fileName,
      info: { format: rec.format!, codec: rec.codec!, durationSec: rec.durationSec!, channels: rec.channels!, sampleRate: rec.sampleRate! },
      sizeBytes: rec.sizeBytes,
      metadata: rec.metadata,
    });
    const { run } = await store.repo.getOrCreateRun(id, r.run.pipelineId, r.run.pipelineVersion, r.run.versions);
    await store.repo.markRunStarted(run.id, 'probe');
    await store.repo.completeRun(run.id, {
      events: r.events,
      transcript: r.transcript,
      metrics: r.run.metrics,
      notes: r.run.notes,
      scorecard: r.scorecard?.card as never,
    });
    ids.push(id);
  }
  return ids;
}

export interface ApiServer {
  store: Store;
  services: Services;
  base: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  trustProxy?: boolean;
  /** the web UI to serve at / (default: none) */
  webDir?: string;
  /**
   * How long an idle connection stays open (Node's default: 5 s). A suite that pauses between requests longer
   * than that (work done through the services) can otherwise meet a socket the server is closing (ECONNRESET).
   */
  keepAliveTimeoutMs?: number;
}

/** Serves an app over existing services on 127.0.0.1, port 0 (the web UI from `webDir` when given). */
export async function serveApp(services: Services, appOptions: ServeOptions = {}): Promise<{ base: string; close(): Promise<void> }> {
  const app = createApp({ services, trustProxy: appOptions.trustProxy, webDir: appOptions.webDir ?? path.join(tmpdir(), 'callqa-no-web') });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  if (appOptions.keepAliveTimeoutMs !== undefined) (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = appOptions.keepAliveTimeoutMs;
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export async function startApi(opts: OpenStoreOptions, serviceOptions: ServiceOptions, appOptions: Omit<ServeOptions, 'webDir'> = {}): Promise<ApiServer> {
  const store = await openStore(opts);
  const services = createServices(store, serviceOptions);
  const served = await serveApp(services, appOptions);
  return {
    store,
    services,
    base: served.base,
    async close() {
      await served.close();
      await store.close();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A browser-like client: keeps the session cookie, sends the CSRF token unless told not to. */
export class ApiClient {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  bearer: string | null = null;
  constructor(readonly base: string) {}

  async req<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts: { csrf?: boolean | string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const csrf = opts.csrf === undefined ? true : opts.csrf;
    if (typeof csrf === 'string') headers['x-csrf-token'] = csrf;
    else if (csrf && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (the web page)
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(username: string, password: string, headers?: Record<string, string>): Promise<ApiResponse> {
    const r = await this.req('POST', '/api/auth/login', { username, password }, { headers });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

const addUser = (api: ApiServer, u: { username: string }, password: string) =>
  api.services.users.add(systemActor('test'), { ...(u as unknown as Parameters<Services['users']['add']>[1]), password });

/** Creates each user (as the system) and signs each in with its own browser-like client, asserting the login works. */
export async function signInUsers<U extends { username: string }>(
  api: ApiServer,
  users: readonly U[],
  password: string,
): Promise<Record<U['username'], ApiClient>> {
  const clients = {} as Record<U['username'], ApiClient>;
  for (const u of users) {
    await addUser(api, u, password);
    const client = new ApiClient(api.base);
    const r = await client.login(u.username, password);
    if (r.status !== 200) throw new Error(`test user ${u.username} could not sign in: HTTP ${r.status}`);
    clients[u.username as U['username']] = client;
  }
  return clients;
}

/**
 * Creates each user (as the system) with an API token, and a client per user that sends it (`Authorization:
 * Bearer`, as a script would; no session, no CSRF token); and each user as the services see them, for set-up done
 * through `api.services`.
 */
export async function tokenUsers<U extends { username: string }>(
  api: ApiServer,
  users: readonly U[],
  password: string,
): Promise<{ clients: Record<U['username'], ApiClient>; users: Record<U['username'], AuthUser> }> {
  const clients = {} as Record<U['username'], ApiClient>;
  const authUsers = {} as Record<U['username'], AuthUser>;
  for (const u of users) {
    await addUser(api, u, password);
    const client = new ApiClient(api.base);
    client.bearer = (await api.services.users.createToken(systemActor('test'), u.username, 'test')).token;
    clients[u.username as U['username']] = client;
    authUsers[u.username as U['username']] = authUser((await api.services.users.repo.getUserByName(u.username))!);
  }
  return { clients, users: authUsers };
}
