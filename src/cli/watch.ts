import { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { discover } from '../pipeline/discover.js';
import { loadCallMetadata } from '../pipeline/metadata.js';
import { BatchContent, QueueOperations } from '../services/operations.js';
import { addEnqueueOptions, enqueueLine, enqueueRequestFromOpts, metaOverrides, type EnqueueCliOptions } from './enqueue.js';

interface WatchCliOptions extends EnqueueCliOptions {
  interval: string;
  settle: string;
  once?: boolean;
}

export function register(program: Command): void {
  addEnqueueOptions(
    program
      .command('watch')
      .description('watch an inbox folder and enqueue each recording once it has finished arriving')
      .argument('<dir>', 'folder to watch (walked recursively; hidden files skipped)'),
  )
    .option('--interval <sec>', 'scan this often', '2')
    .option('--settle <sec>', 'a file counts as complete when its size and mtime have not changed for this long', '2')
    .option('--once', 'scan once, enqueue what is complete, and exit')
    .option('-q, --quiet', 'only errors')
    .addHelpText(
      'after',
      `
Polling, not file-system events: it works the same on local disks, NFS and SMB shares. Restarting the watcher
is safe: files already enqueued are recognised by their content and not queued twice.`,
    )
    .action(async (dir: string, opts: WatchCliOptions) => {
      process.exitCode = await runWatch(dir, opts);
    });
}

export async function runWatch(dir: string, opts: WatchCliOptions): Promise<number> {
  const req = enqueueRequestFromOpts(opts);
  const overrides = metaOverrides(opts.meta);
  const ops = await QueueOperations.open({ maxConnections: 4 });
  const intervalMs = Math.max(0.2, Number(opts.interval) || 2) * 1000;
  const settleMs = Math.max(0, Number(opts.settle) || 0) * 1000;
  /** path -> what we saw last: size/mtime, since when, and whether it was enqueued in that state */
  const seen = new Map<string, { sig: string; since: number; done: boolean }>();
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const log = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  log(`watching ${dir} (every ${intervalMs / 1000}s)`);
  try {
    while (!stop) {
      const now = Date.now();
      // one scan is one batch: a file with the bytes of one enqueued earlier in it is its duplicate (across scans,
      // the stored recording says so: a file renamed between scans is then the same recording, under its new name)
      const batch = new BatchContent();
      for await (const f of discover([dir])) {
        if ('missing' in f) {
          process.stderr.write(`callqa: ${f.missing}: no such directory\n`);
          return 2;
        }
        let sig: string;
        try {
          const st = await stat(f.path);
          sig = `${st.size}:${st.mtimeMs}`;
        } catch {
          continue; // vanished between listing and stat
        }
        const prev = seen.get(f.path);
        if (!prev || prev.sig !== sig) {
          seen.set(f.path, { sig, since: now, done: false });
          if (!opts.once || settleMs > 0) continue;
        } else if (prev.done || now - prev.since < settleMs) {
          continue;
        }
        const entry = seen.get(f.path)!;
        entry.done = true;
        let metadata;
        try {
          metadata = await loadCallMetadata(f.path, { overrides });
        } catch (err) {
          process.stderr.write(`callqa: ${(err as Error).message}\n`);
          continue;
        }
        const o = await ops.enqueue({ path: f.path, displayName: f.displayName, metadata }, req, batch);
        if (o.status === 'error') {
          process.stderr.write(`callqa: ${o.error}\n`);
          entry.done = false; // try again next scan (the database or Redis may be back)
        } else log(enqueueLine(o).trimEnd());
      }
      if (opts.once && [...seen.values()].every((e) => e.done)) break;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await ops.close();
  }
  return 0;
}
