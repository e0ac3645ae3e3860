/**
 * Scorecard results for spreadsheets and BI tools: one row per call (its score as it stands) or one row per
 * call and scorecard item (the machine's answer, the answer that counts, and who gave it). The use case the CLI
 * (`callqa calls export`) and the API (`exportCalls`) share; scoped like the call list (an agent gets only their
 * own calls, and no score before the review is complete). Rows carry ids, numbers and states, never transcript
 * text, quotes, reasons or inspectors' comments (personal data stays in the call view, where reads are audited).
 */
import type { FinalItem } from '../review/decisions.js';
import type { CallFilter, CallRow } from '../store/calls-repo.js';
import { shownFileName } from './call-access.js';
import type { CardView } from './calls.js';
import type { AuthUser } from './types.js';

export type ExportShape = 'calls' | 'items';

export const CALL_COLUMNS = [
  'callId', 'file', 'externalId', 'agentId', 'team', 'startedAt', 'durationSec', 'program', 'programVersion', 'analysedAt',
  'reviewState', 'stage', 'score', 'maxScore', 'fatal', 'openItems', 'final', 'completedAt', 'assignedTo',
] as const;

export const ITEM_COLUMNS = [
  'callId', 'file', 'externalId', 'agentId', 'team', 'startedAt', 'program', 'programVersion', 'reviewState', 'stage',
  'section', 'itemId', 'itemTitle', 'kind', 'maxPoints', 'machineStatus', 'machinePoints', 'status', 'points', 'answeredBy', 'decidedBy', 'decidedAt', 'reasonCode',
] as const;

export type CallExportRow = Record<(typeof CALL_COLUMNS)[number], string | number | boolean | null>;
export type ItemExportRow = Record<(typeof ITEM_COLUMNS)[number], string | number | boolean | null>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Who gave the answer that counts for an item: an inspector's decision (or a ruling), the machine's answer
 * accepted when the review was completed, the machine's answer so far (draft or review in progress), or
 * nobody yet (an item only a person can judge).
 */
export function answeredBy(item: CardView['sections'][number]['items'][number], stage: CardView['stage']): 'inspector' | 'accepted' | 'machine' | 'pending' {
  const f = item as Partial<FinalItem>;
  if (f.human) return 'inspector';
  if (item.status === 'needs_review') return 'pending';
  return stage === 'final' ? 'accepted' : 'machine';
}

/** What identifies a call in every row: the call, the platform's id, who took it, when, under which program. */
function callKey(call: CallRow, user: AuthUser) {
  return {
    callId: call.id,
    file: shownFileName(user, call.fileName),
    externalId: str(call.metadata.callId),
    agentId: str(call.metadata.agentId),
    team: str(call.metadata.team),
    startedAt: str(call.metadata.startedAt),
    program: call.pipelineId,
    programVersion: call.pipelineVersion,
    reviewState: call.reviewState,
  };
}

/** One call's row; `card` null when there is none or this user may not see it yet. */
export function callRow(call: CallRow, card: CardView | null, user: AuthUser): CallExportRow {
  return {
    ...callKey(call, user),
    durationSec: call.durationSec,
    analysedAt: iso(call.analysedAt),
    stage: card?.stage ?? null,
    score: card?.total ?? null,
    maxScore: card?.maxTotal ?? call.maxTotal,
    fatal: card ? card.fatal : null,
    openItems: card ? card.pendingItems.length : null,
    // final: a completed review; a draft or review in progress is provisional however complete it looks
    final: card ? card.stage === 'final' : null,
    completedAt: iso(call.completedAt),
    assignedTo: user.role === 'agent' ? null : (call.assignedTo?.username ?? null),
  };
}

/** One row per scorecard item of a call. */
export function itemRows(call: CallRow, card: CardView, user: AuthUser): ItemExportRow[] {
  const out: ItemExportRow[] = [];
  for (const section of card.sections) {
    for (const item of section.items) {
      const f = item as Partial<FinalItem> & typeof item;
      const machine = f.machine ?? item;
      out.push({
        ...callKey(call, user),
        stage: card.stage,
        section: section.id,
        itemId: item.id,
        itemTitle: item.title,
        kind: item.kind,
        maxPoints: item.maxPoints,
        machineStatus: machine.status,
        machinePoints: machine.points,
        status: item.status,
        points: item.points,
        answeredBy: answeredBy(item, card.stage),
        decidedBy: f.human?.decidedBy ?? null,
        decidedAt: f.human?.decidedAt ?? null,
        reasonCode: f.human?.reasonCode ?? null,
      });
    }
  }
  return out;
}

export interface ExportSource {
  /**
   * One page of the calls this user may see, with the card as it stands (null: none, or hidden from this
   * user); `listed`: how many calls the page held before any were left out (fewer than asked: the last page).
   */
  page(user: AuthUser, filter: CallFilter): Promise<{ rows: Array<{ call: CallRow; card: CardView | null }>; listed: number }>;
}

/** Every row of the export, a page of calls at a time (memory stays flat however many calls match). */
export async function* exportRows(
  source: ExportSource,
  user: AuthUser,
  filter: Omit<CallFilter, 'limit' | 'offset'>,
  shape: ExportShape,
  pageSize = 200,
): AsyncGenerator<CallExportRow | ItemExportRow> {
  for (let offset = 0; ; offset += pageSize) {
    const { rows, listed } = await source.page(user, { ...filter, limit: pageSize, offset });
    for (const { call, card } of rows) {
      if (shape === 'calls') yield callRow(call, card, user);
      else if (card) yield* itemRows(call, card, user);
    }
    if (listed < pageSize) return;
  }
}
