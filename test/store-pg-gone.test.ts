/**
 * The PostgreSQL server going away at the worst moment for a transaction: on its BEGIN. Through a proxy that
 * drops the connection exactly there (test/support/pg-cut-proxy.ts), on the real server.
 *
 * drizzle-orm's node-postgres transaction() sends BEGIN before its try/finally, so a connection that died on
 * BEGIN was never given back to the pool: each such failure cost the pool a connection for good (with two, the
 * third transaction waited out the connect timeout although the server was back), and close() (pg's pool.end())
 * waited for ever for the lost one. `callqa analyze` on DATABASE_URL then ended in the middle of its summary with
 * an empty event loop: exit 0, no failure lines, no "N of M call(s) analysed".
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/db.js';
import { postgresBackend } from './support/db-backends.js';
import { startCutProxy, type CutProxy } from './support/pg-cut-proxy.js';

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timed out'> =>
  Promise.race([p, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms).unref())]);

describe('PostgreSQL connection lost on a transaction BEGIN', () => {
  const backend = postgresBackend();
  let proxy: CutProxy;
  let url = '';
  beforeAll(async () => {
    const opts = await backend.setup();
    proxy = await startCutProxy(opts.databaseUrl!);
    url = proxy.urlFor(opts.databaseUrl!);
  });
  afterAll(async () => {
    await proxy?.close();
    await backend.teardown();
  });

  it('gives the connection back: later transactions run once the server is back, and close() returns', async () => {
    const store: Store = await openStore({ databaseUrl: url, maxConnections: 2, connectTimeoutMs: 3000 });
    let closed: unknown = 'not closed';
    try {
      for (let i = 0; i < 2; i++) {
        proxy.cutOn('begin');
        const err = await store.db.transaction(async (tx) => tx.execute(sql`select 1`)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
      }
      expect(proxy.cuts).toBe(2);
      proxy.heal();
      // both connections of the pool lost on BEGIN: this waited out the connect timeout and failed before
      const ok = await within(store.db.transaction(async (tx) => tx.execute(sql`select 1 as one`)), 10_000);
      expect(ok).not.toBe('timed out');
    } finally {
      closed = await within(store.close().then(() => 'closed'), 10_000);
    }
    expect(closed).toBe('closed');
  });
});
