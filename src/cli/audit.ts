import { Command } from 'commander';
import Table from 'cli-table3';

/** callqa audit: read the append-only audit log (who did what, who read which call's audio or transcript). */
export function register(program: Command): void {
  program
    .command('audit')
    .description('show the audit log: state changes and reads of call audio/transcripts, oldest first')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .option('--user <name>', 'only this actor')
    .option('--action <action>', 'only this action (e.g. review.decide, call.transcript.read)')
    .option('--call <id>', 'only entries about this call')
    .option('--since <iso>', 'from this time (ISO 8601)')
    .option('--until <iso>', 'before this time (ISO 8601)')
    .option('--limit <n>', 'at most this many entries (the newest when --newest)', '200')
    .option('--newest', 'newest first')
    .option('--json', 'print JSON lines')
    .action(async (o: { data?: string; user?: string; action?: string; call?: string; since?: string; until?: string; limit: string; newest?: boolean; json?: boolean }) => {
      const date = (v: string | undefined, flag: string) => {
        if (v === undefined) return undefined;
        const d = new Date(v);
        if (Number.isNaN(d.getTime())) throw new Error(`${flag} must be an ISO 8601 time, got "${v}"`);
        return d;
      };
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${o.limit}"`);
      const q = { actorName: o.user, action: o.action, callId: o.call, since: date(o.since, '--since'), until: date(o.until, '--until'), limit, order: o.newest ? ('newest' as const) : ('oldest' as const) };
      const [{ openData }, { createServices }] = await Promise.all([import('./data.js'), import('../services/index.js')]);
      const store = await openData({ dataDir: o.data, existing: true });
      try {
        const entries = await createServices(store).audit.query(q);
        if (o.json) {
          for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
          return;
        }
        const t = new Table({ head: ['#', 'at (UTC)', 'who', 'action', 'target', 'details'], wordWrap: true, colWidths: [null, null, null, null, null, 60] as never, style: { head: [], border: [] } });
        for (const e of entries) {
          t.push([e.id, e.at.replace('T', ' ').slice(0, 19), e.actor, e.action, `${e.target.type} ${e.target.id.slice(0, 8)}`, JSON.stringify(e.details)]);
        }
        process.stdout.write(entries.length ? `${t.toString()}\n` : 'no audit entries match\n');
      } finally {
        await store.close();
      }
    });
}
