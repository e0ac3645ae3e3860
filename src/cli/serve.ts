import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export interface ServeOptions {
  port: string;
  host: string;
  data?: string;
  trustProxy?: boolean;
  web?: string;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the review API (/api) and the web UI (/) over HTTP')
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option('--host <addr>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .option('--trust-proxy', 'take the client address and https from X-Forwarded-* (only behind your own reverse proxy)')
    .option('--web <dir>', 'folder of the built web UI (default: dist/web)')
    .addHelpText(
      'after',
      `
With DATABASE_URL set, several serve processes can run behind a proxy on one PostgreSQL (sessions live in the
database). On the embedded database, serve owns the data folder: stop it before running analyze/rescore on
the same folder, or use PostgreSQL.

Users: callqa users add NAME --role inspector --password-stdin. API reference: docs/api.md, /api/openapi.json.`,
    )
    .action(async (opts: ServeOptions) => {
      process.exitCode = await runServe(opts);
    });
}

export async function runServe(opts: ServeOptions): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0..65535, got "${opts.port}"`);
  const [{ serve }, { openData }, { createServices }, { createApp }] = await Promise.all([
    import('@hono/node-server'),
    import('./data.js'),
    import('../services/index.js'),
    import('../api/app.js'),
  ]);
  const { defaultMediaDir } = await import('../services/call-media.js');
  const store = await openData({ dataDir: opts.data, purpose: `callqa serve on ${opts.host}:${port}`, longLived: true });
  const services = createServices(store, { mediaDir: defaultMediaDir(opts.data) });
  const app = createApp({ services, trustProxy: opts.trustProxy, webDir: opts.web, version: pkg.version });
  return new Promise<number>((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: opts.host }, (info) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      process.stdout.write(`callqa serve: listening on http://${host}:${info.port}/ (${store.kind} ${store.location})\n`);
    });
    server.on('error', async (err: NodeJS.ErrnoException) => {
      process.stderr.write(`callqa serve: cannot listen on ${opts.host}:${port}: ${err.code ?? err.message}\n`);
      await store.close();
      resolve(2);
    });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`callqa serve: ${signal}, stopping\n`);
      server.close(async () => {
        await store.close();
        resolve(0);
      });
      // idle keep-alive connections would hold close() open
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
