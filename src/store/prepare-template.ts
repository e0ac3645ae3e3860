/**
 * `node dist/store/prepare-template.js` (run by `npm run build:server`, so by `npm install`): makes the
 * embedded database's template for this build's migrations now, so the first new data folder is a copy
 * too (pglite-create.ts). Never fails the build: without a writable cache folder, or if making it fails,
 * new folders are created the slow way and this says why.
 */
import { migrationsConfig } from './db.js';
import { ensureTemplate, templateCacheDir } from './pglite-create.js';
import { errorMessage } from '../core/errors.js';

const cacheDir = templateCacheDir();
if (!cacheDir) {
  process.stderr.write('callqa: no writable cache folder (CALLQA_CACHE_DIR, node_modules/.cache, ~/.cache): new data folders will be created without a template\n');
} else {
  try {
    const dir = await ensureTemplate(cacheDir, migrationsConfig());
    process.stderr.write(`callqa: database template ready: ${dir}\n`);
  } catch (err) {
    process.stderr.write(`callqa: could not make the database template (${errorMessage(err)}): new data folders will be created without it\n`);
  }
}
