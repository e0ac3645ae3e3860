/**
 * ContentLocks (src/store/queue-repo.ts), the per-content lock `callqa enqueue` holds from the duplicate check
 * until the job is added, against a REAL PostgreSQL database made for this file: its connection going away while
 * the lock is held (a server restart, an administrator's pg_terminate_backend) fails that enqueue, never the
 * process (a watcher would die with it); the connection leaves the pool, the lock is let go, and the next
 * enqueue of the same bytes gets it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentLocks } from '../src/store/queue-repo.js';
import { admin, ADMIN_URL } from './support/queue-env.js';

const dbName = `callqa_clock_${randomBytes(5).toString('hex')}`;
const u = new URL(ADMIN_URL);
u.pathname = `/${dbName}`;
const dbUrl = u.toString();

beforeAll(async () => {
  await admin(`create database "${dbName}"`);
});
afterAll(async () => {
  await admin(`drop database if exists "${dbName}" with (force)`);
});

describe('ContentLocks', () => {
  it('a lock connection killed while held fails that call, not the process; the lock is let go', async () => {
    const locks = new ContentLocks(dbUrl, 1);
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const held = locks.withLock('a'.repeat(64), async () => {
        // the lock's own session, as an administrator would end it
        await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query like '%pg_advisory_lock%'`, [dbName]);
        await new Promise((r) => setTimeout(r, 500));
        return 'done';
      });
      // the work under the lock finished; letting go of the lock on a dead connection is not this call's failure
      expect(await held).toBe('done');
      expect(uncaught).toEqual([]);
      // the pool (one connection) is not left holding a dead or leaked client: the next lock is granted at once
      expect(await locks.withLock('a'.repeat(64), async () => 'again')).toBe('again');
    } finally {
      process.off('uncaughtException', onUncaught);
      await locks.close();
    }
  }, 30_000);

  it('a failure under the lock lets go of it and of the connection', async () => {
    const locks = new ContentLocks(dbUrl, 1);
    try {
      await expect(locks.withLock('b'.repeat(64), async () => Promise.reject(new Error('redis add failed')))).rejects.toThrow('redis add failed');
      // one connection in the pool: a leak would make this wait for connectionTimeoutMillis and fail
      expect(await locks.withLock('b'.repeat(64), async () => 'next')).toBe('next');
      const held = (await admin<{ rows: Array<{ n: number }> }>(`select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and d.datname = $1`, [dbName])).rows[0]!.n;
      expect(held).toBe(0);
    } finally {
      await locks.close();
    }
  }, 30_000);
});
