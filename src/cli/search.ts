import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../core/errors.js';
import { writeOutputFile } from '../core/output-file.js';
import { EVENT_TYPES } from '../core/events.js';
import { calendarDay } from './calendar-day.js';
import { pipelineAliasOption, programFilterOf, type ProgramFilterOptions } from './program-filter.js';

const DESCRIPTION = 'search every stored transcript (Chinese and English): phrases, any of several, AND, NEAR/n, with call filters';

/** A type the detectors emit: a misspelt one (banned_phrases) would find nothing and read as "no hits". */
function eventType(v: string): string {
  if (!(EVENT_TYPES as readonly string[]).includes(v)) throw new InvalidArgumentError(`unknown event type; one of ${EVENT_TYPES.join(', ')}`);
  return v;
}
function num(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

interface SearchCliOptions extends ProgramFilterOptions {
  speaker?: 'agent' | 'customer';
  agent?: string;
  team?: string;
  from?: string;
  to?: string;
  event?: string;
  minScore?: number;
  maxScore?: number;
  limit: string;
  offset: string;
  json?: boolean;
  csv?: string;
  data?: string;
}

export function register(program: Command): void {
  program
    .command('search')
    .description(DESCRIPTION)
    .argument('<query>', 'e.g. 退款, "cancel my account", 投诉 OR complaint, refund NEAR/5 manager')
    .option('--speaker <side>', 'only what the agent or the customer said (agent|customer)', (v) => {
      if (v !== 'agent' && v !== 'customer') throw new InvalidArgumentError('agent or customer');
      return v;
    })
    .option('--agent <id>', 'only this agent\'s calls (metadata agentId)')
    .option('--team <team>', 'only this team\'s calls')
    .option('--program <id>', 'only calls analysed with this QA program')
    .addOption(pipelineAliasOption())
    .option('--from <date>', 'calls on or after this date (YYYY-MM-DD)', calendarDay)
    .option('--to <date>', 'calls on or before this date (YYYY-MM-DD)', calendarDay)
    .option('--event <type>', 'only calls with an event of this type (e.g. customer_escalation, banned_phrase)', eventType)
    .option('--min-score <n>', 'only calls whose draft total is at least n', num)
    .option('--max-score <n>', 'only calls whose draft total is at most n', num)
    .option('--limit <n>', 'at most this many hits (1-1000)', '50')
    .option('--offset <n>', 'skip this many hits first: the next page (at most 100000)', '0')
    .option('--json', 'machine-readable: { query, hits: [{ callId, file, start, end, speaker, snippet, highlights, link ... }] }')
    .option('--csv <file>', 'also write the hits as CSV ("-" for stdout)')
    .option('--data <dir>', 'data folder of the embedded database (default: CALLQA_DATA_DIR or ./data)')
    .addHelpText(
      'after',
      `
Query language (docs/search.md): a phrase needs no quotes (退款, cancel my account); quotes group words;
refund* for any word starting so (refunds, refunded);
OR or | for any of several; AND or & for both in one utterance; A NOT B for A in an utterance without B;
A NEAR/n B for both within n words or Chinese characters. Traditional and Simplified Chinese find each other; case, punctuation and ASR spacing are ignored.

Exit codes: 0 hits found; 1 no hits; 2 bad query, option or database.`,
    )
    .action(async (query: string, opts: SearchCliOptions) => {
      process.exitCode = await runSearch(query, opts);
    });
}

export async function runSearch(query: string, opts: SearchCliOptions): Promise<number> {
  const { searchTranscripts, hitsToCsv, QueryError, MAX_SEARCH_PAGE: MAX_PAGE, MAX_SEARCH_OFFSET } = await import('../services/search.js');
  const { openData } = await import('./data.js');
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--limit must be a positive whole number');
  // the search answers at most 1000 hits a page: a larger --limit was cut to 1000 while the output said "raise --limit"
  if (limit > MAX_PAGE) throw new ConfigError(`--limit is at most ${MAX_PAGE}; page through more with --offset`);
  const offset = Number(opts.offset ?? 0);
  if (!Number.isInteger(offset) || offset < 0) throw new ConfigError('--offset must be a whole number, 0 or more');
  // one past bigint reached the database, which refused it with its own words
  if (offset > MAX_SEARCH_OFFSET) throw new ConfigError(`--offset is at most ${MAX_SEARCH_OFFSET}; narrow the search with filters (--from/--to, --speaker, --team …) instead of paging that far`);
  if (opts.from && opts.to && opts.from > opts.to) throw new InvalidArgumentError(`--from ${opts.from} is after --to ${opts.to}`);
  const program = programFilterOf(opts);
  const store = await openData({ dataDir: opts.data, existing: true });
  try {
    // a misspelt program answered "no hits" (exit 1): say it does not exist (exit 2)
    if (program) await (await import('../services/programs.js')).checkProgramFilter(store.db, program.id, program.flag);
    let result;
    try {
      result = await searchTranscripts(
        store.db,
        query,
        {
          speaker: opts.speaker, agentId: opts.agent, team: opts.team, pipelineId: program?.id, from: opts.from, to: opts.to,
          eventType: opts.event, minScore: opts.minScore, maxScore: opts.maxScore,
        },
        { limit, offset },
      );
    } catch (err) {
      if (err instanceof QueryError) throw new ConfigError(`bad query: ${err.message}`);
      throw err;
    }
    if (opts.csv) {
      const csv = hitsToCsv(result.hits);
      if (opts.csv === '-') process.stdout.write(csv);
      else writeOutputFile('--csv', opts.csv, 'the hits', csv);
    }
    if (opts.json) process.stdout.write(`${JSON.stringify({ query: result.query, hits: result.hits, more: result.more, ...(result.hint ? { hint: result.hint } : {}) }, null, 2)}\n`);
    // --json is the whole of stdout (the hits as text came after it, so it did not parse); the hint goes to stderr beside "no hits"
    else if (opts.csv !== '-') process.stdout.write(formatHits(result.hits, result.more ? offset + result.hits.length : null, process.stdout.isTTY === true, MAX_SEARCH_OFFSET));
    if (result.hint) process.stderr.write(`callqa: ${result.hint}\n`);
    return result.hits.length > 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}

function mmss(sec: number): string {
  const s = Math.floor(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `maxOffset`: the furthest --offset takes (MAX_SEARCH_OFFSET); a next page past it is not offered, filters are. */
export function formatHits(hits: ReadonlyArray<{ file: string; start: number; speaker: string; snippet: string; highlights: { start: number; end: number }[]; agentId: string | null; callDate: string | null }>, nextOffset: number | null, color: boolean, maxOffset = Infinity): string {
  if (hits.length === 0) return 'no hits\n';
  const lines = hits.map((h) => {
    let text = '';
    let pos = 0;
    for (const x of h.highlights) {
      text += h.snippet.slice(pos, x.start) + (color ? `\x1b[1;33m${h.snippet.slice(x.start, x.end)}\x1b[0m` : `[${h.snippet.slice(x.start, x.end)}]`);
      pos = x.end;
    }
    text += h.snippet.slice(pos);
    const who = h.speaker === 'agent' ? 'agent' : h.speaker === 'customer' ? 'cust ' : h.speaker;
    return `${h.file} @ ${mmss(h.start)}  ${who}  ${h.callDate ?? ''}${h.agentId ? ` ${h.agentId}` : ''}\n    ${text}`;
  });
  const more =
    nextOffset === null
      ? ''
      : nextOffset > maxOffset
        ? ` (more, past --offset ${maxOffset}: narrow the search with filters (--from/--to, --speaker, --team …) to see them)`
        : ` (more: --offset ${nextOffset} for the next page)`;
  return `${lines.join('\n')}\n${hits.length} hit(s)${more}\n`;
}
