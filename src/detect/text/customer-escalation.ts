import type { CallEvent, EventOf } from '../../core/types.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import { hitsOf, perSegmentEvents, round2, type TextContext } from './context.js';
import { escalationModel } from './escalation-model.js';
import { classifierDetails, scoreUtterance, type UtteranceModel } from './utterance-model.js';

/**
 * Lexicon kinds that never make an escalation on their own: `insult` (abuse without a threat: 垃圾, "useless"),
 * `neutral` (a mention that is not a complaint: 我不是要投诉, 上次投诉已经解决了, "it's not a complaint") and
 * `problem` (the customer stating the problem the call is about: 到现在还没发货, "nobody told me"), `reason`
 * (an ordinary reason to cancel: moving house, a bereavement), `third` (a complaint about a third party),
 * `resolved` (an old complaint that was settled) and `declined` (advice to complain, turned down; a joke); `hedge`
 * and `query` (below) clear only the mentions next to them.
 */
const NOT_ESCALATION = new Set(['insult', 'neutral', 'problem', 'reason', 'vent', 'third', 'resolved', 'declined', 'hedge', 'query', 'past']);
/**
 * `vent`: anger at the problem or the service (气死我了, 态度太差, "this is unacceptable", "third time i've called")
 * without a demand or a threat. Not an escalation on its own (the blind sets' writers label a raging customer only
 * where the utterance asks to complain, threatens or demands a supervisor), but an upset customer an apology
 * answers (003 二(二)2.12 对方情绪激动): apologies after venting follow a complaint (`complaintHits`).
 */
const VENT = 'vent';
/** what a `neutral` cue in the same utterance cancels: complaint words and mentions of complaining */
const CANCELLED_BY_NEUTRAL = new Set(['complaint', 'escalation', 'insult', VENT]);
/**
 * what a `reason` cue cancels: a cancellation with an ordinary reason in the same utterance (moving house, a
 * bereavement: 我搬家了 要销户, "i'm moving out so cancel everything") is a request, not a threat to leave
 */
const CANCELLED_BY_REASON = new Set(['churn']);
/**
 * what a `third` cue cancels: the customer's complaint is about someone else (投诉这个骑手, 房东不退押金 我该怎么投诉他,
 * 有个乘客投诉我, 这事跟你们没关系, "how do i complain about my landlord"): the police or 12315 they report that
 * party to, and their anger at it, are the request the call is about, not an escalation against the centre.
 * Threats to leave stay.
 */
const CANCELLED_BY_THIRD = new Set(['complaint', 'escalation', 'regulator', 'insult', VENT]);
/**
 * cues that cancel the same as `third`: `resolved` (a past complaint that was settled: 上回打12345 早给弄好了 — the
 * regulator named is the old one) and `declined` (someone else's advice to complain, turned down: 我邻居说要去投诉
 * 你们 我觉得算了; a threat made in jest)
 */
const CANCELS_LIKE_THIRD = new Set(['third', 'resolved', 'declined']);
/**
 * `hedge`: words that make what FOLLOWS them not the customer's own threat: negated (不会去, 没打算, "not going
 * to", "no intention of"), an intention given up (本来想, "i was gonna"), a past occasion (上次, "the last time i
 * had to") or someone else's suggestion (我老公让我, "my daughter said i should", "wants me to"). Unlike the
 * utterance-wide cues above, a hedge reaches only the words right after it (HEDGE_REACH): "i'm not going to wait
 * any longer, get me a manager" still asks for the manager.
 */
const HEDGE = 'hedge';
/** how far after its end a hedge reaches: tokens (en) or characters (zh) */
export const HEDGE_REACH = { en: 3, zh: 4 } as const;
/** what a hedge cancels: every kind that would raise an escalation or an apology */
const CANCELLED_BY_HEDGE = new Set(['complaint', 'escalation', 'regulator', 'churn', VENT]);

/**
 * `query`: a question about the process or the regulator (有用吗, 投诉是怎么个流程, "how long would that take", "is
 * that ofcom, what's their number"): the mention right BEFORE it (QUERY_REACH) is asked about, not threatened.
 */
const QUERY = 'query';
/** how far before its start a query reaches: tokens (en) or characters (zh) */
export const QUERY_REACH = { en: 6, zh: 8 } as const;
/**
 * A query also clears a mention that starts inside it and, in English only, one within three words after it ("is
 * it worth complaining to the, er, ombudsman"). A Chinese question word comes last (投诉的话 有用吗), and what
 * follows 的话 is the threat itself (再不处理的话 我就投诉). Compared as h.from < q.to + QUERY_AHEAD.
 */
export const QUERY_AHEAD = { en: 4, zh: 0 } as const;

function hedged(h: TranscriptHit, hedges: readonly TranscriptHit[], queries: readonly TranscriptHit[]): boolean {
  const zh = h.language === 'zh';
  const ahead = zh ? HEDGE_REACH.zh : HEDGE_REACH.en;
  const back = zh ? QUERY_REACH.zh : QUERY_REACH.en;
  return (
    hedges.some((c) => c.language === h.language && c.from <= h.from && h.from <= c.to + ahead) ||
    queries.some((q) => q.language === h.language && (h.from < q.from ? q.from - h.to <= back : h.from < q.to + (zh ? QUERY_AHEAD.zh : QUERY_AHEAD.en)))
  );
}

/** lexicon kinds that say an utterance is no escalation, whatever the classifier would make of it */
const LEXICON_SAYS_NO = new Set(['neutral', 'third', 'resolved', 'declined', 'reason', 'past', VENT]);

/**
 * a cue that reads a mention inside it as no threat (是12345吗: the caller checking the line they reached). `past`
 * does only this: a complaint made before (投诉过, 我之前提过一个投诉 想问问结果, "i filed a complaint last month") is
 * a mention of the past, while a threat said beside it in the same utterance still counts.
 */
const CONTAINING = new Set(['neutral', 'third', 'reason', 'resolved', 'declined', 'past']);

/**
 * Customer complaint / escalation (投诉, 找你们领导, 12315, 携号转网, "cancel everything"), one event per customer
 * utterance; `kinds` lists complaint / escalation / regulator / churn. An utterance with a `neutral` cue keeps
 * only its regulator and churn threats. Each event says whether the agent apologised within apologyWindowSec
 * afterwards (apologised, apologyAtSec) — the missing-apology signal scoring rules use (000 第三篇 三、4 致歉語
 * 「用戶不滿時，及時表示歉意」).
 */
export function detectCustomerEscalation(ctx: TextContext, model: UtteranceModel = escalationModel()): { events: CallEvent[]; metrics: Record<string, number> } {
  const w = ctx.params.apologyWindowSec;
  const hits = escalationHits(ctx);
  // apologies sorted by start: the first at or after each escalation is found by a binary search
  const apologies = hitsOf(ctx, 'apology', 'agent')
    .filter((h) => h.speaker !== 'unknown')
    .sort((a, b) => a.start - b.start);
  const apologyAfter = (t: number) => {
    let lo = 0;
    let hi = apologies.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (apologies[mid].start < t) lo = mid + 1;
      else hi = mid;
    }
    const a = apologies[lo];
    return a && a.start - t <= w ? a : undefined;
  };
  const events: EventOf<'customer_escalation'>[] = perSegmentEvents('customer_escalation', hits, (h, group) => {
    const a = apologyAfter(h.start);
    const kinds = [...new Set(group.map((g) => g.entry.kind).filter((k): k is string => !!k))];
    return { kinds, apologised: !!a, apologyAtSec: a ? round2(a.start) : null };
  });
  // the classifier's second opinion: customer utterances with no escalation phrase counted and no cue the lexicon reads
  // as no threat (not a complaint, settled, someone else's, declined, a reason, hedged or asked about)
  if (ctx.params.escalationModelThreshold < 1) {
    const settled = new Set([...events.map((e) => e.details.segmentIndex), ...hitsOf(ctx, 'escalation', 'customer').filter((h) => LEXICON_SAYS_NO.has(h.entry.kind ?? '')).map((h) => h.segmentIndex)]);
    ctx.segments.forEach((seg, i) => {
      // only speech known to be the customer's (in a mono recording the agent's offer of the complaints line would read as a threat)
      if (settled.has(i) || seg.speaker !== 'customer') return;
      const scored = scoreUtterance(model, seg.text);
      if (scored.p < ctx.params.escalationModelThreshold) return;
      const a = apologyAfter(seg.start);
      const details = classifierDetails(model, 'escalation', seg, i, scored);
      events.push({
        type: 'customer_escalation',
        speaker: seg.speaker,
        start: seg.start,
        end: seg.end,
        details: {
          ...details,
          matches: [{ matched: details.matched, entryId: details.entryId, confidence: details.confidence, fuzzy: false }],
          kinds: ['model'],
          apologised: !!a,
          apologyAtSec: a ? round2(a.start) : null,
        },
      });
    });
    events.sort((a, b) => a.start - b.start);
  }
  return {
    events,
    metrics: { escalationCount: events.length, complaintsUnapologised: events.filter((e) => !e.details.apologised).length },
  };
}

/** The customer's escalation hits that count, in utterance order (neutral and insult-only utterances removed). */
export function escalationHits(ctx: TextContext): TranscriptHit[] {
  return customerHits(ctx, false);
}

/** What an apology answers: the escalation hits and the customer's venting (not cancelled by a neutral cue). */
export function complaintHits(ctx: TextContext): TranscriptHit[] {
  return customerHits(ctx, true);
}

function customerHits(ctx: TextContext, withVent: boolean): TranscriptHit[] {
  const bySeg = new Map<number, TranscriptHit[]>();
  for (const h of hitsOf(ctx, 'escalation', 'customer')) {
    const g = bySeg.get(h.segmentIndex);
    if (g) g.push(h);
    else bySeg.set(h.segmentIndex, [h]);
  }
  const out: TranscriptHit[] = [];
  for (const seg of [...bySeg.keys()].sort((a, b) => a - b)) {
    const g = bySeg.get(seg)!;
    const neutral = g.some((h) => h.entry.kind === 'neutral');
    const reason = g.some((h) => h.entry.kind === 'reason');
    const third = g.some((h) => CANCELS_LIKE_THIRD.has(h.entry.kind ?? ''));
    const declined = g.some((h) => h.entry.kind === 'declined');
    const cues = g.filter((h) => CONTAINING.has(h.entry.kind ?? ''));
    const hedges = g.filter((h) => h.entry.kind === HEDGE);
    const queries = g.filter((h) => h.entry.kind === QUERY);
    for (const h of g) {
      const kind = h.entry.kind ?? 'complaint';
      if (NOT_ESCALATION.has(kind) && !(withVent && kind === VENT)) continue;
      if (neutral && CANCELLED_BY_NEUTRAL.has(kind)) continue;
      if (reason && CANCELLED_BY_REASON.has(kind)) continue;
      if (third && CANCELLED_BY_THIRD.has(kind)) continue;
      // advice turned down also covers leaving (我同事说他携码到别家 不过我懒得换)
      if (declined && kind === 'churn') continue;
      if (cues.some((c) => c.language === h.language && c.from <= h.from && h.to <= c.to)) continue;
      if (CANCELLED_BY_HEDGE.has(kind) && hedged(h, hedges, queries)) continue;
      out.push(h);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
