import type { CallEvent } from '../../core/types.js';
import type { TranscriptHit } from '../../lexicon/matcher.js';
import { prepareEn, prepareZh } from '../../lexicon/prepare.js';
import { absenceEvent, agentSegments, hitDetails, hitsOf, isAgentSide, maxOf, minOf, round2, withoutBareUtterances, type TextContext } from './context.js';

/**
 * 明确身份 / 报工号 (001 电话营销代表质检评分标准 3.1.3: 在电话接通15秒内向用户说明自己所属的单位和工号). Three
 * outcomes, each its own finding, because a scorecard deducts them differently:
 *
 * - `self_identification`: every part in selfIdRequire heard within selfIdWithinSec of connection;
 * - `late_self_identification`: not in time, but later one agent utterance completes it (with what was already
 *   heard in the window, e.g. the company in the greeting and the staff number 20 s later); the event sits on
 *   that utterance and carries its time (`atSec`) and how late it was (`lateBySec`);
 * - `missing_self_identification`: never, listing what was and was not heard.
 *
 * A part is a lexicon `kind`; a requirement may accept alternatives (`staff_id|name`: a staff number or the
 * agent's name). Entries with `position: opening` (loose cues such as "this is", {n}号) only count inside the
 * window; a late identification needs the stronger cues (工号{n}, 我叫, "my name is"), or the loose ones in an
 * utterance that says the introduction is late (LATE_INTRO).
 */
/**
 * Lexicon kind of the phrases that announce a late introduction ("by the way", "sorry, i should have said",
 * 刚才忘了跟您说): not a part of the identification, but in the same utterance the opening-only name cues
 * count after the window too ("oh sorry i should've said i'm jordan by the way").
 */
const LATE_INTRO = 'late_intro';
/** Lexicon kind of the customer's question who is speaking ("who am i speaking to", 你是哪位, 你工号多少). */
const ASKED = 'asked';

/**
 * Words that open an English call without being a company's name: greetings, acknowledgements, hesitations.
 * "travelwise, this is ken speaking" names the company in the words before the name cue; "hi, this is ken" and
 * "good morning this is ken" do not.
 */
const NOT_A_NAME = new Set(
  'hello hi hey hiya howdy good morning afternoon evening day gday yes yeah yep ok okay alright right um uh er erm so well oh sorry thanks thank you and welcome greetings there again now sir madam maam mam hallo hullo bonjour hola namaste salaam for calling call ringing you your youre reached reaching called this is its it'.split(' '),
);
/** words that lead into a name cue ("you are | through to josh", "you have | reached") */
const CUE_LEAD = new Set(['you', 'are', 'youre', 'have', 'youve', 'reached', 'now']);
/** a loose name cue and the company make one introduction when at most this far apart (characters / words) */
const INTRO_REACH = { zh: 6, en: 4 } as const;
/** at most this many words before the name cue may be the company's name */
const OPENING_NAME_WORDS = 4;
/**
 * words that end the name of a public body's or a company's unit ("vehicle licensing office vehicle tax team, my
 * name's chloe", "riverside council housing repairs line"): such a name may run to this many words
 */
const ORG_UNIT_WORDS = new Set(['team', 'office', 'department', 'desk', 'line', 'helpline', 'centre', 'center', 'council', 'services', 'service', 'unit', 'agency', 'authority', 'bureau', 'hotline']);
const OPENING_UNIT_NAME_WORDS = 7;

/** name cues said after the name ("gemma speaking", "dave here") */
const NAME_BEFORE_CUE = new Set(['speaking', 'here']);
/** at most this many characters before the cue may be the company's name (zh) */
const OPENING_NAME_CHARS = 12;
/** what opens a Chinese call before the company's name: greetings, 喂, hesitations */
const ZH_OPENING = /^(?:喂|您好|你好|早上好|上午好|中午好|下午好|晚上好|早晨|嗯|呃|哎|诶|欸|额|啊|欢迎致电|欢迎来电|感谢致电|感谢您致电|谢谢致电)+/u;
/** words that say the opening is not a company's name (我是…, 这边…, 请问…) */
const ZH_NOT_A_NAME = /[我你您请是的这那哪谁吗呢吧了]/u;
/** how an agent addresses the customer after the greeting (你好同学 我是小赵): no company's name */
const ZH_ADDRESS = /^(?:同学|先生|女士|小姐|老师|家长|阿姨|叔叔|大爷|大妈|大姐|大哥|师傅|老板|美女|帅哥|朋友|亲|哥|姐|老乡)+$/u;

/**
 * A part of the introduction read from the words around a lexicon hit rather than from a lexicon phrase (the company
 * in the opening words, "it's <name> from", <company>的<name>): the hit's place and time, with its own id and kind.
 */
function derivedHit(base: TranscriptHit, id: string, kind: string, phrase: string, matched: string, from: number, to: number): TranscriptHit {
  return { ...base, entry: { ...base.entry, id, kind, phrases: [], position: 'opening' }, phrase, matched, from, to, fuzzy: false };
}

/**
 * The company named by the words that open the agent's first utterance, straight before a name or staff-number
 * cue, after any greeting ("bluewing, this is andre"; "good morning hartwell appliance care, you're speaking
 * with nadia"; 您好捷运速递 工号幺九零二; 惠拼拼 工号八三零): a hit standing for the organisation part, or none.
 */
function openingWordsOrganisation(ctx: TextContext, idHit: TranscriptHit, firstAgentSeg: number, afterWord = 0): TranscriptHit | undefined {
  if (idHit.segmentIndex !== firstAgentSeg) return undefined;
  let matched: string;
  let from: number;
  if (idHit.language === 'en') {
    const words = (ctx.segments[idHit.segmentIndex].normText ?? '').split(' ').filter(Boolean);
    const cue = idHit.matched.split(' ').filter(Boolean);
    const at = words.findIndex((_, i) => cue.every((w, k) => words[i + k] === w));
    if (at < 1) return undefined;
    const bare = (w: string) => w.replace(/'/g, '');
    let start = afterWord;
    while (start < at && NOT_A_NAME.has(bare(words[start]))) start++;
    // "thread and co, gemma speaking": the word before a trailing cue is the agent's name, not the company's
    let end = NAME_BEFORE_CUE.has(idHit.matched) ? at - 1 : at;
    // "carter lane lettings, you are through to josh": the words that lead into the cue are not the company's
    while (end > start && CUE_LEAD.has(bare(words[end - 1]))) end--;
    // the greeting after the company ("boxcar movers good morning, this is tyler"): the words before it name the company
    while (end > start + 1 && NOT_A_NAME.has(bare(words[end - 1])) && !CUE_LEAD.has(bare(words[end - 1]))) end--;
    const lead = words.slice(start, end);
    if (lead.length < 1 || lead.length > (ORG_UNIT_WORDS.has(lead[lead.length - 1]) ? OPENING_UNIT_NAME_WORDS : OPENING_NAME_WORDS)) return undefined;
    // "and" may join a company's name ("thread and co"), not begin or end it
    if (lead.some((w, i) => (NOT_A_NAME.has(bare(w)) && !(w === 'and' && i > 0 && i < lead.length - 1)) || /^\d/.test(w))) return undefined;
    matched = lead.join(' ');
    from = start;
  } else {
    const found = zhLeadCompany(Array.from(prepareZh(ctx.segments[idHit.segmentIndex].text).text).slice(0, idHit.from));
    if (!found) return undefined;
    ({ matched, from } = found);
  }
  return derivedHit(idHit, `${idHit.language}.self-id.opening-words`, 'organisation', '(the words before the name cue)', matched, from, idHit.from);
}

/** what is said before a company's name in a Chinese opening: greetings, apologies, acknowledgements, 这里是 */
const ZH_LEAD_WORDS = /(?:喂|您好|你好|早上好|上午好|中午好|下午好|晚上好|早晨|嗯|呃|哎|诶|欸|额|啊|欢迎致电|欢迎来电|感谢致电|感谢您致电|谢谢致电|不好意思|让您久等了|久等了|抱歉|是的|对的|没错|这里是|这边是)/gu;

/**
 * The company's name in the characters of a Chinese opening before the agent's name or staff-number cue: what
 * follows the last greeting, apology or acknowledgement (不好意思 您好 是的 驰远搬家 | 我是客服小唐), up to the agent's own
 * 我是 (您好 鸿运捷达货运 | 我是调度老吴 工号三幺二), or, when nothing follows the greeting, what precedes it
 * (乐买网您好，我是客服小周). Two to twelve Han characters that are not a phrase of the conversation.
 */
function zhLeadCompany(chars: readonly string[]): { matched: string; from: number } | undefined {
  let text = chars.join('');
  const self = /我是|我系/u.exec(text);
  if (self) text = text.slice(0, self.index);
  const words = [...text.matchAll(ZH_LEAD_WORDS)];
  const last = words[words.length - 1];
  const candidates: { lead: string; from: number }[] = [];
  if (last) candidates.push({ lead: text.slice(last.index! + last[0].length), from: Array.from(text.slice(0, last.index! + last[0].length)).length });
  // the company before the greeting (乐买网您好): the words from the start, after any opening words, up to the first greeting
  const opening = ZH_OPENING.exec(text);
  const skip = opening ? opening[0].length : 0;
  const rest = text.slice(skip);
  const greet = /(?:您好|你好)/u.exec(rest);
  candidates.push({ lead: greet ? rest.slice(0, greet.index) : rest, from: Array.from(text.slice(0, skip)).length });
  for (const { lead, from } of candidates) {
    const n = Array.from(lead).length;
    if (n < 2 || n > OPENING_NAME_CHARS || ZH_NOT_A_NAME.test(lead) || ZH_ADDRESS.test(lead) || !/^\p{Script=Han}+$/u.test(lead)) continue;
    return { matched: lead, from };
  }
  return undefined;
}

/** how a Chinese agent offers help after naming the company (您好 远航通达 陆运调度 | 请讲) */
const ZH_OFFER = /(?:请讲|您请讲|请说|请问|有什么(?:可以|能|需要)|很高兴为您服务|为您服务)/u;

/**
 * The company named between the greeting and the offer of help in a Chinese first utterance with no name cue
 * (您好 远航通达 陆运调度 请讲): the name may follow later (你叫什么名字 — 我是调度员郑凯). A derived organisation hit, or none.
 */
function greetingCompanyZh(ctx: TextContext, seg: number): TranscriptHit | undefined {
  const greet = hitsOf(ctx, 'greeting', 'agent').find((g) => g.segmentIndex === seg && g.language === 'zh');
  if (!greet) return undefined;
  if (hitsOf(ctx, 'self_identification', 'agent').some((h) => h.segmentIndex === seg && (h.entry.kind === 'name' || h.entry.kind === 'staff_id'))) return undefined;
  const text = prepareZh(ctx.segments[seg].text).text;
  const offer = ZH_OFFER.exec(text);
  if (!offer) return undefined;
  const found = zhLeadCompany(Array.from(text.slice(0, offer.index)));
  if (!found) return undefined;
  return derivedHit(greet, 'zh.self-id.greeting-company', 'organisation', '(the company between greeting and offer of help)', found.matched, found.from, found.from + Array.from(found.matched).length);
}

/** words that begin the offer of help after a company's name ("harper and lowe, HOW can i help") */
const OFFER_START = new Set(['how', 'what', 'may', 'can', 'who']);

/**
 * The company named between the greeting and the offer of help in the agent's first utterance, with no name cue in it
 * ("hi there, thanks for calling keystone motor, how can i help?", "hello, harper and lowe, how can i help?"): the
 * name may follow later ("i'm callum, by the way"). A derived organisation hit, or none.
 */
function greetingCompany(ctx: TextContext, seg: number): TranscriptHit | undefined {
  const greet = hitsOf(ctx, 'greeting', 'agent').find((g) => g.segmentIndex === seg && g.language === 'en');
  if (!greet) return undefined;
  // an utterance with a name or staff-number cue is read by openingWordsOrganisation ("this is priya speaking" names no company)
  if (hitsOf(ctx, 'self_identification', 'agent').some((h) => h.segmentIndex === seg && (h.entry.kind === 'name' || h.entry.kind === 'staff_id'))) return undefined;
  const words = prepareEn(ctx.segments[seg].text, false).words;
  let start = 0;
  while (start < words.length && NOT_A_NAME.has(words[start])) start++;
  let end = start;
  while (end < words.length && !OFFER_START.has(words[end]) && (!NOT_A_NAME.has(words[end]) || (words[end] === 'and' && end > start))) end++;
  const lead = words.slice(start, end);
  /** one to OPENING_NAME_WORDS words that may be a company's name */
  const companyWords = (ws: readonly string[]) => ws.length >= 1 && ws.length <= OPENING_NAME_WORDS && !ws.some((w) => /^\d/.test(w) || NAME_BEFORE_CUE.has(w));
  if (companyWords(lead) && OFFER_START.has(words[end] ?? '') && lead[lead.length - 1] !== 'and')
    return derivedHit(greet, 'en.self-id.greeting-company', 'organisation', '(the company between greeting and offer of help)', lead.join(' '), start, end);
  // "keystone lettings, hi there": the company named first, then the greeting (the name may follow later)
  const before = words.slice(0, greet.from);
  if (companyWords(before) && !before.some((w) => NOT_A_NAME.has(w))) return derivedHit(greet, 'en.self-id.company-greeting', 'organisation', '(the company before the greeting)', before.join(' '), 0, greet.from);
  return undefined;
}

/** the recogniser splits an utterance at a pause this short or shorter ("my name" | "is gemma") */
const SPLIT_GAP_SEC = 1.5;

/**
 * Where the evidence of a hit ends: the hit's own end, or, when the hit closes its utterance and the agent's
 * next utterance follows within SPLIT_GAP_SEC (a sentence the recogniser split at a pause: "…my name" | "is
 * gemma, how can i help?"), the end of that next utterance, where the introduction is completed.
 */
function evidenceEnd(ctx: TextContext, h: TranscriptHit): number {
  if (h.to < h.length) return h.end;
  const seg = ctx.segments[h.segmentIndex];
  const next = ctx.segments[h.segmentIndex + 1];
  if (!next || !isAgentSide(next.speaker) || next.start - seg.end > SPLIT_GAP_SEC) return h.end;
  return Math.max(h.end, next.end);
}

/** words that tie an English name cue to the company named after it ("this is carlos WITH swiftway couriers") */
const LINK_WORDS = new Set(['with', 'from', 'at', 'of', 'for', 'here']);

/**
 * A loose English name cue and a company named after it make one introduction only when a linking word sits
 * between them ("i'm jess from acme"), not "i'm flagging the address as medical priority"; a company named
 * before the cue ("acme, it's jess") needs none.
 */
function linked(ctx: TextContext, h: TranscriptHit, c: TranscriptHit): boolean {
  if (h.language !== 'en' || c.from < h.to) return true;
  const words = prepareEn(ctx.segments[h.segmentIndex].text, false).words;
  return words.slice(h.to, c.from).some((w) => LINK_WORDS.has(w));
}

/** words before a generic company word that make it a place talked about ("at THE pharmacy", "YOUR bank") */
const DETERMINERS = new Set(['the', 'a', 'an', 'your', 'that', 'this', 'my', 'our', 'their', 'his', 'her', 'any', 'another', 'other']);

/**
 * an English company word said with a determiner: a place talked about, not the agent's own company being named ("…at the
 * pharmacy, ok its resent"); read only before a cue ("i'm aisha from the fraud team" links a team to the name)
 */
function determined(ctx: TextContext, c: TranscriptHit): boolean {
  if (c.language !== 'en' || c.from < 1) return false;
  return DETERMINERS.has(prepareEn(ctx.segments[c.segmentIndex].text, false).words[c.from - 1]);
}

/** verbs between an outbound agent's name and the company ("it's ravi CALLING from kestrel energy") */
const CALLING = new Set(['calling', 'ringing', 'phoning']);

/**
 * "it's daniel from crestview home insurance", "its ravi calling from kestrel energy": the one word between "it's" and
 * the company's "from" is the agent's name (an outbound call's introduction). "it's" alone is no name cue: "it's
 * fine", "it's gone".
 */
function itsNameFrom(ctx: TextContext, orgs: readonly TranscriptHit[]): TranscriptHit | undefined {
  for (const c of orgs) {
    if (c.language !== 'en' || !/^((calling|ringing|phoning) )?from\b/.test(c.matched)) continue;
    const words = prepareEn(ctx.segments[c.segmentIndex].text, false).words;
    let i = c.from - 1;
    // "its jasmine calling back from harlow bay city services", "it's dev ringing from …"
    if (words[i] === 'back' && CALLING.has(words[i - 1])) i -= 2;
    else if (CALLING.has(words[i])) i--;
    const its = words[i - 1] === 'its' ? i - 1 : words[i - 2] === 'it' && words[i - 1] === 's' ? i - 2 : -1;
    if (i < 1 || its < 0 || NOT_A_NAME.has(words[i]) || /^\d/.test(words[i])) continue;
    return derivedHit(c, 'en.self-id.its-name-from', 'name', "(it's <name> from)", words.slice(its, i + 1).join(' '), its, i + 1);
  }
  return undefined;
}

/** what cannot begin a company's name after "<name> with|at|from" ("this is dave with you in a second", "at the moment") */
const NOT_A_COMPANY = new Set(['the', 'a', 'an', 'your', 'you', 'my', 'our', 'this', 'that', 'these', 'those', 'it', 'us', 'me', 'him', 'her', 'them', 'home', 'work', 'all', 'least', 'most', 'any', 'some', 'what', 'which', 'whom', 'regard', 'regards', 'respect', 'reference', 'pleasure', 'once', 'first', 'last', 'times', 'night', 'noon', 'midnight', 'moment', 'present', 'here', 'there', 'now', 'today']);
const NAME_LINK = new Set(['with', 'at', 'from', 'of']);

/**
 * "this is derek WITH oakridge community management", "you're speaking with aisha AT northgate building society": the
 * words after the agent's name and a linking word name the company, when a loose name cue ("this is", "speaking with")
 * is followed by one name word and the link. A derived organisation hit, or none.
 */
function nameLinkOrganisation(ctx: TextContext, nameHit: TranscriptHit): TranscriptHit | undefined {
  if (nameHit.language !== 'en') return undefined;
  const words = prepareEn(ctx.segments[nameHit.segmentIndex].text, false).words;
  const name = words[nameHit.to];
  const link = words[nameHit.to + 1];
  const first = words[nameHit.to + 2];
  if (!name || NOT_A_NAME.has(name) || /^\d/.test(name) || !link || !NAME_LINK.has(link) || !first || NOT_A_COMPANY.has(first) || NOT_A_NAME.has(first) || /^\d/.test(first)) return undefined;
  const from = nameHit.to + 2;
  const to = Math.min(words.length, from + 3);
  return derivedHit(nameHit, 'en.self-id.name-link-company', 'organisation', '(<name> with|at|from <company>)', words.slice(from, to).join(' '), from, to);
}

/** what may follow the agent's name after a bare "its" ("its marcus how can i help", "its sam, quick one") */
const NAME_FOLLOW = new Set(['how', 'hows', 'what', 'whats', 'im', 'i', 'speaking', 'here', 'calling', 'ringing', 'from', 'with', 'at', 'and', 'can', 'may', 'quick', 'hi', 'hello', 'good', 'thanks', 'thank', 'on', 'for', 'in', 'who', 'again', 'just', 'so', 'ok', 'okay', 'right']);

/** what an agent calls their job after giving their name ("i'm rachel, the service advisor here") */
const ROLE_WORDS = new Set(['advisor', 'adviser', 'advisors', 'advisers', 'manager', 'supervisor', 'agent', 'agents', 'representative', 'rep', 'specialist', 'consultant', 'coordinator', 'dispatcher', 'engineer', 'technician', 'nurse', 'pharmacist', 'receptionist', 'assistant', 'officer', 'handler', 'administrator', 'planner', 'broker', 'lead', 'team']);
/** what follows the agent's name in "myself neha, i will be assisting you" (an introduction however late) */
const ASSIST_LEAD = [['i', 'will', 'be'], ['ill', 'be'], ['i', 'll', 'be'], ['and', 'i', 'will', 'be'], ['and', 'ill', 'be']];
const ASSISTING = new Set(['assisting', 'helping', 'handling', 'looking']);
const ROLE_LEAD = new Set(['the', 'your', 'a', 'an', 'one', 'of', 'here', 'with', 'on']);

/**
 * A loose English name cue, one name word and the agent's job ("i'm rachel the service advisor here", "im tomasz one
 * of the service advisors"): an introduction wherever it is said, as one beside the company's name is.
 */
function nameThenRole(ctx: TextContext, h: TranscriptHit): boolean {
  if (h.language !== 'en' || h.entry.kind !== 'name') return false;
  const words = prepareEn(ctx.segments[h.segmentIndex].text, false).words;
  const name = words[h.to];
  if (!name || NOT_A_NAME.has(name) || /^\d/.test(name) || PARTICIPLE.test(name)) return false;
  let i = h.to + 1;
  // "myself neha, i will be assisting you today", "this is ravi, i'll be helping you"
  for (const lead of ASSIST_LEAD) if (lead.every((w, k) => words[i + k] === w) && ASSISTING.has(words[i + lead.length] ?? '')) return true;
  if (!ROLE_LEAD.has(words[i] ?? '')) return false;
  while (i < words.length && ROLE_LEAD.has(words[i])) i++;
  return words.slice(i, i + 3).some((w) => ROLE_WORDS.has(w));
}

/** "its confirmed", "its resent", "its pending": a participle after "its" is no name */
const PARTICIPLE = /^[a-z]{3,}(?:ed|ing)$/;
const NAMES_LIKE_PARTICIPLES = new Set(['ahmed', 'alfred', 'jared', 'mohammed', 'mohamed', 'hamed', 'javed', 'naveed', 'saeed', 'waleed', 'rasheed', 'majed', 'sterling', 'irving', 'manning', 'channing', 'king', 'ming', 'ying', 'qing', 'jing', 'ling', 'ping', 'xing']);

/**
 * A bare "its" is a name cue only when one word follows it that could be a name, and then the end of the
 * utterance or what follows a name ("thanks for calling ironhouse gym its marcus how can i help"), not "its
 * renewal time for you".
 */
function itsIsName(ctx: TextContext, h: TranscriptHit): boolean {
  const words = prepareEn(ctx.segments[h.segmentIndex].text, false).words;
  const name = words[h.to];
  if (!name || NOT_A_NAME.has(name) || /^\d/.test(name) || (PARTICIPLE.test(name) && !NAMES_LIKE_PARTICIPLES.has(name))) return false;
  const next = words[h.to + 1];
  return next === undefined || NAME_FOLLOW.has(next);
}

/** how a company's unit ends before 的 and the agent's name */
const ZH_ORG_UNIT = '(?:中心|公司|部|组|店|行|处|站|科|所|热线|客服|团队|门店|营业厅|服务台|前台)';
const ORG_UNIT = new RegExp(`${ZH_ORG_UNIT}$`, 'u');
/** how far after the company's word its 的 may come (远征汽车|客户服务中心的郑晓雯) */
const ORG_TAIL_CHARS = 10;

/**
 * 我是远征汽车客户服务中心的郑晓雯: two or three characters after the company's 的, closing the phrase (a pause or the end
 * of the utterance), are the agent's name.
 */
function orgNameZh(ctx: TextContext, orgs: readonly TranscriptHit[]): TranscriptHit | undefined {
  for (const c of orgs) {
    if (c.language !== 'zh') continue;
    const prep = prepareZh(ctx.segments[c.segmentIndex].text);
    const chars = prep.chars.map((cp) => String.fromCodePoint(cp));
    const de = chars.indexOf('的', c.to);
    if (de < 0 || de - c.to > ORG_TAIL_CHARS || chars.slice(c.to, de).some((ch) => ZH_NOT_A_NAME.test(ch))) continue;
    // the words before 的 end as a company's unit does (…客户服务中心的, …信用卡部的), not 燃气表前面的阀门
    if (!ORG_UNIT.test(chars.slice(0, de).join(''))) continue;
    for (const nameLen of [2, 3]) {
      const end = de + 1 + nameLen;
      if (end > chars.length || !(end === chars.length || prep.pauseAfter[end - 1])) continue;
      const text = chars.slice(de + 1, end).join('');
      if (ZH_NOT_A_NAME.test(text) || !/^\p{Script=Han}+$/u.test(text)) continue;
      return derivedHit(c, 'zh.self-id.org-de-name', 'name', '(<company>的<name>)', text, de + 1, end);
    }
  }
  return undefined;
}

export function detectSelfIdentification(ctx: TextContext): CallEvent[] {
  const agent = agentSegments(ctx);
  if (agent.length === 0) return [];
  const p = ctx.params;
  const required = p.selfIdRequire.map((r) => r.split('|').map((k) => k.trim()).filter(Boolean));
  const cues = hitsOf(ctx, 'self_identification', 'agent')
    .filter((h) => h.entry.kind)
    .sort((a, b) => a.start - b.start);
  // utterances that say the introduction comes late ("by the way", "i should have said", 刚才忘了说)
  const lateIntro = new Set(cues.filter((h) => h.entry.kind === LATE_INTRO).map((h) => h.segmentIndex));
  // an organisation word inside a staff-number or name cue (一零八六号客服: 客服 is the staff number's) names no company
  const inside = (h: TranscriptHit) =>
    h.entry.kind === 'organisation' &&
    cues.some((x) => x !== h && (x.entry.kind === 'staff_id' || x.entry.kind === 'name') && x.segmentIndex === h.segmentIndex && x.language === h.language && x.from <= h.from && h.to <= x.to && x.to - x.from > h.to - h.from);
  const all = cues.filter((h) => h.entry.kind !== LATE_INTRO && !inside(h) && (h.matched !== 'its' || itsIsName(ctx, h)));
  // the limit counts from when the call connects (ringing, an IVR or the queue may come first: core/connect.ts)
  const t0 = ctx.connectSec;
  const inWindow = (h: TranscriptHit) => h.start - t0 <= (h.entry.withinSec ?? p.selfIdWithinSec);

  const parts = new Map<string, TranscriptHit>();
  for (const h of all) if (inWindow(h) && !parts.has(h.entry.kind!)) parts.set(h.entry.kind!, h);
  if (!parts.has('name')) {
    const orgs = all.filter((h) => inWindow(h) && h.entry.kind === 'organisation');
    const named = itsNameFrom(ctx, orgs) ?? orgNameZh(ctx, orgs);
    if (named) parts.set('name', named);
  }
  // the name or staff number heard first: the words that open the call before it may be the company's name
  const idHit = [parts.get('name'), parts.get('staff_id')].filter((h): h is TranscriptHit => !!h).sort((a, b) => a.start - b.start)[0];
  if (!parts.has('organisation') && idHit) {
    const firstSeg = agent[0] ? ctx.segments.indexOf(agent[0]) : -1;
    // "sorry about that, good afternoon brightwater plumbing, this is marcus": the company is named after the greeting
    const greetEnd = maxOf(
      hitsOf(ctx, 'greeting', 'agent').filter((g) => g.segmentIndex === idHit.segmentIndex && g.language === 'en' && g.to <= idHit.from),
      (g) => g.to,
    );
    const org = openingWordsOrganisation(ctx, idHit, firstSeg) ?? (greetEnd > 0 ? openingWordsOrganisation(ctx, idHit, firstSeg, greetEnd) : undefined) ?? (parts.get('name') && nameLinkOrganisation(ctx, parts.get('name')!));
    if (org) parts.set('organisation', org);
  }
  if (!parts.has('organisation') && agent[0] && agent[0].start - t0 <= p.selfIdWithinSec) {
    const first = ctx.segments.indexOf(agent[0]);
    const org = greetingCompany(ctx, first) ?? greetingCompanyZh(ctx, first);
    if (org) parts.set('organisation', org);
  }
  const unmet = (have: ReadonlyMap<string, TranscriptHit>) => required.filter((alts) => !alts.some((k) => have.has(k)));
  /** the hit proving each requirement (the first alternative heard) */
  const proof = (have: ReadonlyMap<string, TranscriptHit>) =>
    required.map((alts) => have.get(alts.find((k) => have.has(k))!)!);
  const partDetails = (have: ReadonlyMap<string, TranscriptHit>) => Object.fromEntries([...have].map(([k, h]) => [k, hitDetails(h)]));

  if (unmet(parts).length === 0) {
    const found = proof(parts).sort((a, b) => a.start - b.start);
    const first = found[0];
    return [
      {
        type: 'self_identification',
        speaker: first.speaker,
        start: first.start,
        end: maxOf(found, (h) => evidenceEnd(ctx, h)),
        details: {
          ...hitDetails(found.find((h) => required[0].includes(h.entry.kind!)) ?? first),
          text: [...new Set(found.map((h) => h.text))].join(' / '),
          confidence: minOf(found, (h) => h.confidence),
          parts: partDetails(parts),
          withinSec: p.selfIdWithinSec,
          connectSec: t0,
        },
      },
    ];
  }

  // the agent's answers when the customer asks who is speaking (kind `asked`: "who am i speaking to", 你是哪位):
  // the next run of agent speech after the question
  const answers = new Set<number>();
  for (const q of hitsOf(ctx, 'self_identification', 'customer').filter((h) => h.entry.kind === ASKED)) {
    let i = q.segmentIndex + 1;
    while (i < ctx.segments.length && !isAgentSide(ctx.segments[i].speaker)) i++;
    while (i < ctx.segments.length && isAgentSide(ctx.segments[i].speaker)) answers.add(i++);
  }
  // utterances with the agent's greeting (after the window: a late opening)
  // (the first greeting only: "have a good evening" in the closing opens nothing)
  const firstGreeting = withoutBareUtterances(hitsOf(ctx, 'greeting', 'agent')).sort((a, b) => a.start - b.start)[0];
  const lateOpening = new Set(firstGreeting && firstGreeting.start - t0 > p.selfIdWithinSec ? [firstGreeting.segmentIndex] : []);
  // utterances that name the company (a loose name cue beside it is an introduction, however late)
  const companies = all.filter((h) => h.entry.kind === 'organisation');
  const besideCompany = (h: TranscriptHit) =>
    companies.some(
      (c) =>
        c.segmentIndex === h.segmentIndex &&
        // a code-switched introduction (我是 grand harbour hotel 前台的 amy) is matched in two units: same utterance
        (c.language !== h.language || (Math.max(c.from - h.to, h.from - c.to) <= INTRO_REACH[h.language] && linked(ctx, h, c) && !(c.to <= h.from && determined(ctx, c)))),
    );
  // the parts that say who speaks (every requirement's alternatives, unless organisation is among them)
  const whoParts = new Set(required.filter((alts) => !alts.includes('organisation')).flat());
  // late: the first later agent utterance whose own (non-opening-only) cues complete what the window heard
  const later = new Map<number, TranscriptHit[]>();
  for (const h of all) {
    // loose cues ("i'm", "this is", 我是 + a surname) count later only in an utterance that says it is late, or in
    // a late opening: the greeting given after a bad start ("hello? … can you hear me?" then at 17 s "thank you
    // for calling bluewing, this is andre")
    // or in the answer to the customer's "who am i speaking to", or beside the company in one introduction ("okay this is carlos with swiftway couriers" at 28 s)
    if (inWindow(h) || (h.entry.position === 'opening' && !lateIntro.has(h.segmentIndex) && !lateOpening.has(h.segmentIndex) && !answers.has(h.segmentIndex) && !besideCompany(h) && !nameThenRole(ctx, h))) continue;
    const g = later.get(h.segmentIndex);
    if (g) g.push(h);
    else later.set(h.segmentIndex, [h]);
  }
  for (const [, seg] of [...later].sort((a, b) => a[0] - b[0])) {
    const have = new Map(parts);
    const own = new Map<string, TranscriptHit>();
    for (const h of seg) if (!own.has(h.entry.kind!)) own.set(h.entry.kind!, h);
    // "sorry, i should have said, it's owen from coastline coaches" at 20 s: the name read around the company, as in the window
    if (!own.has('name')) {
      const orgs = seg.filter((h) => h.entry.kind === 'organisation');
      const named = itsNameFrom(ctx, orgs) ?? orgNameZh(ctx, orgs);
      if (named) own.set('name', named);
    }
    // a late opening ("sorry about that, good afternoon motorvale cars, you're speaking with tom"): the words after its
    // greeting, up to the name cue, name the company, as the first utterance's opening words do
    const linked = !own.has('organisation') && own.get('name') ? nameLinkOrganisation(ctx, own.get('name')!) : undefined;
    if (linked) own.set('organisation', linked);
    const cue = own.get('name') ?? own.get('staff_id');
    if (!own.has('organisation') && cue && cue.language === 'en' && lateOpening.has(cue.segmentIndex)) {
      const greetEnd = maxOf(
        hitsOf(ctx, 'greeting', 'agent').filter((g) => g.segmentIndex === cue.segmentIndex && g.language === 'en' && g.to <= cue.from),
        (g) => g.to,
      );
      const org = openingWordsOrganisation(ctx, cue, cue.segmentIndex, Math.max(0, greetEnd));
      if (org) own.set('organisation', org);
    }
    for (const [k, h] of own) have.set(k, h);
    if (unmet(have).length > 0) continue;
    // a later utterance must say who speaks (a name or a staff number): the company named again on its own
    // ("thank you for calling …" in the closing, a product that ends in 出行) completes nothing
    if (whoParts.size > 0 && ![...own.keys()].some((k) => whoParts.has(k))) continue;
    const mine = [...own.values()];
    const atSec = round2(minOf(mine, (h) => h.start));
    const first = mine.sort((a, b) => a.start - b.start)[0];
    return [
      {
        type: 'late_self_identification',
        speaker: first.speaker,
        start: first.start,
        end: maxOf(mine, (h) => evidenceEnd(ctx, h)),
        details: {
          ...hitDetails(first),
          confidence: minOf(proof(have), (h) => h.confidence),
          parts: partDetails(have),
          withinSec: p.selfIdWithinSec,
          connectSec: t0,
          atSec,
          lateBySec: round2(atSec - t0 - p.selfIdWithinSec),
        },
      },
    ];
  }

  const missingParts = unmet(parts).map((alts) => alts.join('|'));
  const shown = agent.filter((s) => s.start - t0 <= p.selfIdWithinSec).slice(0, p.evidenceUtterances);
  const ev = shown.length ? shown : agent.slice(0, 1);
  return [absenceEvent('missing_self_identification', 'self_identification', ev, { missingParts, parts: partDetails(parts), withinSec: p.selfIdWithinSec, connectSec: t0 })];
}
