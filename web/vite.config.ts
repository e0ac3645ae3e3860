import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * The inspector UI. `npm run build:web` writes dist/web/, which `callqa serve` serves at `/`.
 * `npm run dev:web` serves it with hot reload and proxies /api to a running `callqa serve` (CALLQA_API, default
 * http://127.0.0.1:8080).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // Preact's automatic JSX runtime, compiled by Vite's own transformer (no Babel).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': process.env.CALLQA_API ?? 'http://127.0.0.1:8080' } },
});
