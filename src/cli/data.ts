/**
 * The CLI's one door to the data: opens the store (the embedded database in --data, or the PostgreSQL server
 * in DATABASE_URL) for a command's life, holding the data folder's lock while it runs. Commands hand the
 * store to src/services and never query it themselves; this is the only CLI module that imports from
 * src/store, and src/queue is reached only through services/operations.ts (both checked by
 * src/cli/layering.test.ts). The store is loaded on first use, so `--help` never pays for it.
 */
import type { OpenStoreOptions, Store } from '../store/db.js';

export type { Store };

export async function openData(opts: OpenStoreOptions = {}): Promise<Store> {
  const { openStore } = await import('../store/db.js');
  return openStore(opts);
}

/** Opens the store, runs `fn` on it, and closes it whatever happens. */
export async function withData<T>(opts: OpenStoreOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openData(opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
