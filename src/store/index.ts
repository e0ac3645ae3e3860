export { lockDataDir, DATA_LOCK_FILE, type DataDirLock } from './data-lock.js';
export { openStore, describeDatabaseUrl, MIGRATIONS_DIR, type OpenStoreOptions, type Store, type StoreDb } from './db.js';
export * from './repository.js';
export * from './schema.js';
