import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import type { Speaker, TranscriptSegment } from '../src/core/types.js';
import { DEFAULT_TEXT_PARAMS, runTextDetectors } from '../src/detect/text/index.js';
import { loadLexicons } from '../src/lexicon/loader.js';

/**
 * The general rules added after the third blind set's first measurement (issue 16), each on phrasing that is
 * not in any dialogue set: what counts and the look-alike that must not.
 */
const lex = loadLexicons(join(dirname(fileURLToPath(import.meta.url)), '..', 'lexicons'));
type Line = [Speaker, string];
/** one line every 4 s from 0.5 s */
function run(lines: Line[]) {
  const segments: TranscriptSegment[] = lines.map(([speaker, text], i) => ({ speaker, start: 0.5 + 4 * i, end: 3.5 + 4 * i, text, normText: normaliseText(text) }));
  return runTextDetectors(
    { transcript: { engine: 'sidecar-json', language: 'auto', segments }, durationSec: 4 * lines.length + 2, holdSpans: [], language: 'auto' },
    lex,
    DEFAULT_TEXT_PARAMS,
  ).events;
}
const count = (lines: Line[], type: string) => run(lines).filter((e) => e.type === type).length;
const has = (lines: Line[], type: string) => count(lines, type) > 0;
/** how many utterances carry an event of this type (a banned utterance may hold several phrases) */
const segmentsWith = (lines: Line[], type: string) => new Set(run(lines).filter((e) => e.type === type).map((e) => (e.details as { segmentIndex?: number }).segmentIndex)).size;

describe('text detectors: phrasing rules from the third blind set', () => {
  it('English without apostrophes: "i dont know" is banned, "i dont know if youre aware" is not', () => {
    expect(count([['agent', 'hi thanks for calling'], ['agent', 'i dont know you could check the website']], 'banned_phrase')).toBe(1);
    expect(count([['agent', 'hi thanks for calling'], ['agent', 'i dont know if youre aware but the fees changed']], 'banned_phrase')).toBe(0);
  });

  it('"gonna" after a subject is normal speech; the clipped subject-less form stays slang', () => {
    expect(count([['agent', 'hello thanks for calling'], ['agent', 'okay were gonna sort that out for you']], 'banned_phrase')).toBe(0);
    expect(count([['agent', 'hello thanks for calling'], ['agent', 'gonna need the account number']], 'banned_phrase')).toBe(1);
  });

  it('self-identification: "i\'m <name>" and "<name> here" with the company, not "i\'m sorry" or "here to help"', () => {
    expect(has([['agent', 'thanks for calling pacific water im megan how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', 'thanks for calling pacific water im sorry about the wait how can i help']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'good morning lakeside bank owen here']], 'self_identification')).toBe(true);
    expect(has([['agent', 'good morning lakeside bank here to help']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'thanks for calling lakeside bank im extremely sorry for the wait']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'thank you for calling we here at lakeside bank value your call']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'good afternoon northern rail youre speaking to priya']], 'self_identification')).toBe(true);
  });

  it('self-identification: 的客户经理 + the name after the company, not 的客户经理会…', () => {
    expect(has([['agent', '您好 我是太平洋保险的客户经理王磊 打扰您一下']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 太平洋保险的客户经理会联系您']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 人保车险 工号5521 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 国泰航空 我是 Vivian 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 国泰航空 我是VIP专线 请问有什么可以帮您']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 中国移动 我是王芳 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 中国移动 我是周末值班的 请问有什么可以帮您']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 我是沈阳分公司的 请问有什么可以帮您']], 'missing_self_identification')).toBe(true);
  });

  it('greetings: 晚上好 / 感谢致电 and a clipped "morning", not "this morning"', () => {
    expect(has([['agent', '晚上好 感谢致电 请讲']], 'greeting')).toBe(true);
    expect(has([['agent', 'morning northgate energy jo speaking']], 'greeting')).toBe(true);
    expect(has([['agent', 'right so you called this morning about the bill']], 'missing_greeting')).toBe(true);
  });

  it('banned: 我也不知道 / 不太清楚 / 不晓得, but the scripts\' 不太清楚您的意思 and 不晓得您…吗 are allowed', () => {
    expect(count([['agent', '您好'], ['agent', '这个我也不知道']], 'banned_phrase')).toBe(1);
    expect(count([['agent', '您好'], ['agent', '这个我不晓得 你问别人吧']], 'banned_phrase')).toBe(1);
    expect(count([['agent', '您好'], ['agent', '具体时间我不太清楚']], 'banned_phrase')).toBe(1);
    expect(count([['agent', '您好'], ['agent', '非常抱歉 我不太清楚您的意思 请您再说一遍好吗']], 'banned_phrase')).toBe(0);
    expect(count([['agent', '您好'], ['agent', '不晓得您明天上午方便吗']], 'banned_phrase')).toBe(0);
    expect(count([['agent', '您好'], ['agent', '您发的图片不太清楚 麻烦您重新拍一张']], 'banned_phrase')).toBe(0);
    expect(count([['agent', '您好'], ['agent', '照片不清楚 麻烦您再传一次']], 'banned_phrase')).toBe(0);
  });

  it('code-switching: one English word is enough to match English too ("I dunno 你去问前台", "um 这个…")', () => {
    const ev = run([['agent', '您好 这里是维也纳酒店'], ['agent', 'I dunno 你去问前台'], ['agent', 'um 房费是三百八']]);
    expect(ev.filter((e) => e.type === 'banned_phrase')).toHaveLength(1);
    expect(ev.filter((e) => e.type === 'filler')).toHaveLength(1);
  });

  it('closings: any 祝您… wish, inviting the customer back; a bare 拜拜 / "ok bye" still is not one', () => {
    const closing = (t: string) => run([['agent', '您好'], ['customer', '好的 谢谢'], ['agent', t]]).map((e) => e.type);
    expect(closing('好的 祝您一路顺风')).toContain('closing');
    expect(closing('好的 有问题随时联系我们 再见')).toContain('closing');
    expect(closing('那就不打扰您了 再见')).toContain('closing');
    expect(closing('feel free to call back if anything changes bye')).toContain('closing');
    expect(closing('好 拜拜')).toContain('missing_closing');
    expect(closing('ok bye')).toContain('missing_closing');
  });

  it('"its" is not the loose self-identification cue "it\'s"', () => {
    expect(has([['agent', 'thanks for calling'], ['agent', 'the parcel is on its way']], 'missing_self_identification')).toBe(true);
  });

  it('banned: 推诿 and 反问 in other words (你找别人, 你自己上网查, 管不了, 不就知道了), "that\'s not how it works"', () => {
    const banned = (t: string) => count([['agent', 'hello'], ['agent', t]], 'banned_phrase');
    expect(banned('这个我们这边管不了 你找别人吧')).toBe(2);
    expect(banned('你自己上网查一下不就知道了')).toBe(2);
    expect(banned('thats not how it works')).toBe(1);
    expect(banned('you should have received an email about it')).toBe(0);
    expect(banned('你别激动 你听我说完')).toBe(2);
    expect(banned('先生您别着急 我帮您查一下')).toBe(0);
    expect(banned('listen ive explained this three times')).toBe(1);
  });

  it('escalation: contract cancelled, the press, someone more senior, 起诉, 打315, 你们经理; not 315 inside a number', () => {
    const esc = (t: string) => count([['agent', 'hello thanks for calling'], ['customer', t]], 'customer_escalation');
    expect(esc('i want to cancel my contract')).toBe(1);
    expect(esc('ill go to the press with this')).toBe(1);
    expect(esc('let me speak to someone more senior')).toBe(1);
    expect(esc('不赔的话我就起诉')).toBe(1);
    expect(esc('我要打315')).toBe(1);
    expect(esc('你们经理呢')).toBe(1);
    expect(esc('我手机尾号是三一五七 号码是13153157788')).toBe(0);
    for (const t of ['my team leader at work said to call', 'i went to your head office once', 'i saw the price went up', '你们经理上次帮我处理过 很好', '我在小红书上看到你们有活动']) expect(esc(t), t).toBe(0);
  });

  it('escalation: a formal complaint, leaving, code-switched threats; not a negated one or a problem report', () => {
    const esc = (t: string) => count([['agent', 'hello thanks for calling'], ['customer', t]], 'customer_escalation');
    expect(esc('i would like to raise a formal complaint please')).toBe(1);
    expect(esc('i dont want to make a complaint i just want it fixed')).toBe(0);
    expect(esc('nobody told me the price was going up')).toBe(0);
    expect(esc('再修不好我就不用你们的了')).toBe(1);
    expect(esc('我要找你的manager')).toBe(1);
    expect(esc('不用找你们领导 我就问问')).toBe(0);
    expect(esc('这个外卖送得太慢了')).toBe(0);
    expect(esc('上次投诉的事你们很快就处理了')).toBe(0);
    expect(esc('我去年投诉过一次 后来处理得挺好的 这次就是咨询一下')).toBe(0);
    expect(esc('i complained last year and it got sorted this is just a question')).toBe(0);
    expect(esc('im not gonna complain i just need help')).toBe(0);
  });
});

describe('text detectors: phrasing rules from the fourth blind set', () => {
  it('a staff number said in words, or with 十/百, is a staff number; one number word alone is not', () => {
    expect(has([['agent', 'good afternoon lakeside insurance claims handler four two zero eight']], 'self_identification')).toBe(true);
    expect(has([['agent', 'good afternoon lakeside insurance advisor 3 1 7 how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', 'good afternoon lakeside insurance one moment please']], 'missing_self_identification')).toBe(true);
    // a run of number words ends at a pause
    expect(has([['agent', 'good afternoon lakeside insurance agent one. two three four is the menu']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 这里是东湖供电服务热线 八十六号坐席 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 这里是东湖供电服务热线 请问有什么可以帮您']], 'missing_self_identification')).toBe(true);
  });

  it('a late introduction flagged as late ("by the way", 刚才忘了说) is late; the same loose words later without it are not', () => {
    const opening: Line[] = [['agent', 'hi thanks for calling brightmart how can i help'], ['customer', 'my parcel never arrived'], ['agent', 'let me look'], ['customer', 'ok'], ['agent', 'sorry i shouldve said im priya by the way']];
    expect(has(opening, 'late_self_identification')).toBe(true);
    const noFlag: Line[] = [...opening.slice(0, 4), ['agent', 'im priya looking at it now']];
    expect(has(noFlag, 'late_self_identification')).toBe(false);
    expect(has([['agent', '您好 星河商城 请问有什么可以帮您'], ['customer', '我的快递没到'], ['agent', '我查一下'], ['customer', '好'], ['agent', '不好意思刚才忘了说 我是陈思 我这边看到了']], 'late_self_identification')).toBe(true);
  });

  it('dismissive "whatever" is banned; "whatever you need", "whatever works for you" are not', () => {
    expect(count([['agent', 'hello thanks for calling'], ['agent', 'whatever ill log it']], 'banned_phrase')).toBe(1);
    expect(count([['agent', 'hello thanks for calling'], ['agent', 'we can do whatever works for you and whatever you need']], 'banned_phrase')).toBe(0);
    expect(count([['agent', '您好'], ['agent', '随你 我这边先登记']], 'banned_phrase')).toBe(1);
    expect(count([['agent', '您好'], ['agent', '时间随你方便 我们都可以']], 'banned_phrase')).toBe(0);
  });

  it('a supervisor asked for to praise the agent is no escalation; going to the paper is', () => {
    expect(has([['agent', '您好'], ['customer', '你效率真高 你们主管电话多少 我想表扬一下你']], 'customer_escalation')).toBe(false);
    expect(has([['agent', 'hello'], ['customer', 'fine im going to the local paper with this']], 'customer_escalation')).toBe(true);
    expect(has([['agent', 'hello'], ['customer', 'i read it in the news today']], 'customer_escalation')).toBe(false);
  });
});

describe('text detectors: phrasing rules from the fifth blind set', () => {
  it('more surnames and roles before a name; their look-alike words are not names', () => {
    expect(has([['agent', '您好 这边是高铁客服中心 我是林佳怡 请问要办理什么']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 感谢致电安康保险 我是理赔顾问周洁']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 锦江物业服务中心 我是管家唐晓']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 这边是高铁客服中心 我是高兴为您服务']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 这边是高铁客服中心 我是江苏分中心的']], 'missing_self_identification')).toBe(true);
  });

  it('工号 with a two-digit number, and a helpline as the organisation', () => {
    expect(has([['agent', '您好 极光充电客服 工号三七 您请说']], 'self_identification')).toBe(true);
    expect(has([['agent', 'good morning pension helpline my name is owen']], 'self_identification')).toBe(true);
  });

  it('a company named again later completes no identification; a staff number given later does', () => {
    const noName: Line[] = [['agent', 'good morning how can i help'], ['customer', 'i need to check my tax code'], ['agent', 'sure one moment'], ['customer', 'ok'], ['agent', 'thank you for calling revenue and customs']];
    expect(has(noName, 'late_self_identification')).toBe(false);
    expect(has(noName, 'missing_self_identification')).toBe(true);
    const staffLater: Line[] = [['agent', '您好 星河银行 请问有什么可以帮您'], ['customer', '我查一下余额'], ['agent', '好的'], ['customer', '嗯'], ['agent', '我的工号是一二三四 现在帮您查']];
    expect(has(staffLater, 'late_self_identification')).toBe(true);
  });

  it('the impatient repetition in its shapes is banned; asking whether it was said, and saying it in passing, are not', () => {
    const banned = (t: string) => count([['agent', '您好 请问有什么可以帮您'], ['agent', t]], 'banned_phrase');
    for (const t of ['我已经跟您说过了 这个不能退', '我跟你讲过好几遍了', '女士 刚才跟您说了 下午两点到四点', '您都没听我说完 怎么就知道不需要呢', '不归我们客服管', '你投诉吧', '有本事您就去投诉', '您自己没看短信吗', '你自己去网点找找'])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['我刚才跟您说过了吗', '刚才跟您说了一下流程 现在帮您办理', '您可以自己去营业厅办理', '如果您不满意可以拨打投诉电话', '看不清楚裂痕的位置'])
      expect(banned(t), t).toBe(0);
  });

  it('洞 and 拐 read as digits in a staff number; a tag 对吧 is no filler, a hesitation 那个 before 不好意思 is', () => {
    expect(has([['agent', '您好 移动宽带报障 公号洞幺幺九 很高兴为您服务']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 华信客服 工号拐洞两幺 请讲']], 'self_identification')).toBe(true);
    expect(count([['agent', '您好 请问有什么可以帮您'], ['agent', '是湖滨银泰旁边那家对吧']], 'filler')).toBe(0);
    expect(count([['agent', '您好 请问有什么可以帮您'], ['agent', '那个不好意思打扰您']], 'filler')).toBe(1);
  });

  it('a cancellation with an ordinary reason is a request; the same words as a threat are churn', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    expect(esc("i'm moving out on friday so cancel everything in my name")).toBe(false);
    expect(esc('my mother passed away and i need to close her account')).toBe(false);
    expect(esc("this is the third outage, cancel everything, i'm going elsewhere")).toBe(true);
    expect(esc('okay if it happens again im gone')).toBe(true);
    expect(esc("i'm not making a complaint, i just want my refund date")).toBe(false);
    expect(esc('yeah the police are here, i got his insurance details')).toBe(false);
    expect(esc("i'll call the police if you don't refund me")).toBe(true);
    const zh = (t: string) => has([['agent', '您好'], ['customer', t]], 'customer_escalation');
    expect(zh('我搬家了 这个宽带要销户')).toBe(false);
    expect(zh('你们偷偷给我开的 这号我不用了 我要销号')).toBe(true);
    expect(zh('如果你们不处理 我就 cancel 这张卡')).toBe(true);
    expect(zh('我要不要报警')).toBe(false);
    expect(zh('你帮我换一家吧 附近的就行')).toBe(false);
    expect(zh('再这样我就换一家')).toBe(true);
    expect(zh('我要搵你哋 manager')).toBe(true);
  });

  it('"hurry up" and "i\'ve got other lines ringing" are banned; "it\'s in customs" is no name in the opening', () => {
    expect(count([['agent', 'dental clinic hi'], ['agent', "okay hurry up, i've got other lines ringing"]], 'banned_phrase')).toBe(2); // two phrases, two findings
    expect(count([['agent', 'thanks for calling'], ['agent', 'no hurry, take your time']], 'banned_phrase')).toBe(0);
    expect(has([['agent', "SF Express, what's your waybill number?"], ['customer', 'it is sf one four'], ['agent', "It's in customs."]], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'good morning, Riverside Family Medicine, this is Angela speaking']], 'self_identification')).toBe(true);
  });

  it('blame, regional brush-offs and their look-alikes (twelfth and thirteenth sets)', () => {
    const banned = (t: string) => count([['agent', '您好 请问有什么可以帮您'], ['agent', t]], 'banned_phrase');
    for (const t of ['这个是你自己输错了 怪不了系统', '点解会断 我唔知喎 你问工程部啦', 'policy terms 写到好清楚 你自己冇睇啫', '没得照片这个莫得办法', '您老是打断我 我话还没说完呢'])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['唔知你方唔方便讲一下电话号码', '这个不是您的问题 我帮您处理'])
      expect(banned(t), t).toBe(0);
    const en = (t: string) => count([['agent', 'thanks for calling'], ['agent', t]], 'banned_phrase');
    expect(en("sir you are the one who put the wrong flat number it's your fault not ours")).toBeGreaterThanOrEqual(1);
    expect(en("that's no ma department pal")).toBe(1);
    expect(en("don't worry it's not your fault at all")).toBe(0);
    expect(en('hello hello can you hear me')).toBe(0);
  });

  it('closings in other words; "said goodbye" in another sense is no farewell', () => {
    const closing = (t: string) => has([['agent', 'hello thanks for calling'], ['customer', 'thanks'], ['agent', t]], 'closing');
    expect(closing('alright ma thank you for banking with pilgrim have a blessed afternoon')).toBe(true);
    expect(closing('sorry to bother ye have a good afternoon bye')).toBe(true);
    expect(closing('no sir the paper form has said goodbye everything is online now')).toBe(false);
    const zh = (t: string) => has([['agent', '您好'], ['customer', '好'], ['agent', t]], 'closing');
    expect(zh('唔该晒你 祝你旅途愉快 拜拜')).toBe(true);
  });

  it('a role word before a surname names the agent; an old complaint, a problem and an insult alone are no escalation', () => {
    expect(has([['agent', '您好工商银行客服代表王敏很高兴为您服务']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 工商银行客服代表为您服务']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'good afternoon thanks for calling youre speaking with naledi how can i help']], 'missing_self_identification')).toBe(true);
    const esc = (t: string) => has([['agent', '您好'], ['customer', t]], 'customer_escalation');
    expect(esc('我买的东西到现在还没发货')).toBe(false);
    expect(esc('你这什么态度 算了 我不跟你吵')).toBe(false);
    expect(esc('你这什么态度 我要投诉你')).toBe(true);
    expect(esc('我约满即刻转台 转去第二间')).toBe(true);
    expect(esc('我要把这件事 po 到 dcard 让大家看看')).toBe(true);
    const en = (t: string) => has([['agent', 'hi'], ['customer', t]], 'customer_escalation');
    expect(en('i complained last month and you guys sorted it fine, it is just annoying')).toBe(false);
    expect(en("i'm close to closing every account i've got with yous and taking the lot elsewhere")).toBe(true);
    expect(en("that's it i'm calling the texas department of insurance today")).toBe(true);
    expect(en('can i still send the paper form instead')).toBe(false);
  });

  it('venting alone is no escalation but still wants an apology; a complaint, a threat or a demand is one (fourteenth set)', () => {
    const run2 = (t: string) => run([['agent', '您好 请问有什么可以帮您'], ['customer', t], ['agent', '非常抱歉给您添麻烦了 我马上帮您查']]);
    const vent = run2('我家宽带断了三天了 气死我了 你们到底管不管');
    expect(vent.filter((e) => e.type === 'customer_escalation')).toHaveLength(0);
    expect(vent.find((e) => e.type === 'apology')?.details).toMatchObject({ followsComplaint: true });
    expect(run2('我家宽带断了三天了 气死我了 明天再不来我就打一二三四五市民热线').filter((e) => e.type === 'customer_escalation')).toHaveLength(1);
    const en = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    expect(en("this is the third time i've called, this is unacceptable")).toBe(false);
    expect(en("this is unacceptable, i want to talk to the manager right now")).toBe(true);
    expect(en('and if you call again i will sue')).toBe(true);
    const zh = (t: string) => has([['agent', '您好'], ['customer', t]], 'customer_escalation');
    expect(zh('不是我啊 是我朋友 他想投诉你们 让我帮他问问投诉流程')).toBe(false);
    expect(zh('我要把家里的宽带销户 我下个月搬到成都去了')).toBe(false);
    expect(zh('我妈妈上个月走了 她名下有两张卡 我想问问怎么销户')).toBe(false);
    expect(zh('这个月再不处理 我就把 shop close 掉 全部搬去 Lazada')).toBe(true);
    expect(zh('行 你工号我记下了 等着吧')).toBe(true);
  });

  it('a bare farewell after the customer\'s own goodbye is no closing, whatever thanks came before it; with the thanks it is', () => {
    const lines = (last: string): Line[] => [['agent', 'hi its bayside dental confirming your appointment'], ['customer', 'can i move it to friday'], ['agent', 'okay thats moved to friday thanks for confirming'], ['customer', 'thanks bye'], ['agent', last]];
    expect(has(lines('bye'), 'missing_closing')).toBe(true);
    expect(has(lines('thank you bye'), 'closing')).toBe(true);
    expect(has(lines('thanks for calling bye'), 'closing')).toBe(true);
    expect(has([['agent', '您好'], ['customer', '查一下'], ['agent', '感谢您的来电 祝您生活愉快'], ['customer', '好的 拜拜'], ['agent', '再见']], 'closing')).toBe(true);
  });

  it('pushy sellers and collectors are banned; condolences and polite offers are not (fifteenth set)', () => {
    const banned = (t: string) => count([['agent', '您好 我是星河银行的客户经理张伟'], ['agent', t]], 'banned_phrase');
    for (const t of ['您连听都不听怎么知道不需要呢', '还好意思说没钱 借的时候怎么不想想', '您要是按时还钱谁会去找您', '您这都不懂 到时候别后悔'])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    expect(banned('您可以先了解一下 不需要的话也没关系')).toBe(0);
    expect(banned('宠物自动喂食器下午三点给您送过去')).toBe(0);
    const en = (t: string) => count([['agent', 'hi this is mark from northbridge'], ['agent', t]], 'banned_phrase');
    expect(en("whatever, your loss")).toBeGreaterThanOrEqual(1);
    expect(en("i'm so sorry for your loss, i'll close the account for you")).toBe(0);
    expect(en("look i'm not hanging up until you let me finish")).toBeGreaterThanOrEqual(1);
    expect(en('let me finish setting that up for you')).toBe(0);
  });

  it('agents under pressure and hotline brush-offs are banned; diagnostic questions and polite work are not (sixteenth and seventeenth sets)', () => {
    const en = (t: string) => count([['agent', 'thanks for calling northbridge this is sam'], ['agent', t]], 'banned_phrase');
    for (const t of ["as i've said twice now it's thirty days", "it's not rocket science, it goes in the yellow one", "we're not a charity sir", "that's just how it is with fraud blocks", "you'd have seen that if you'd checked the email"])
      expect(en(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['how many times has it dropped today', "i understand how frustrating this is, let me see what i can do"])
      expect(en(t), t).toBe(0);
    const zh = (t: string) => count([['agent', '您好 12345热线 208号话务员'], ['agent', t]], 'banned_phrase');
    for (const t of ['我们只负责登记', '您这记性也太差了', '商家什么时候出餐这您问我我问谁啊', '找主管也是一样的'])
      expect(zh(t), t).toBeGreaterThanOrEqual(1);
    expect(zh('这个需要到市场监管局办理 电话是12315 地址在人民路88号')).toBe(0);
  });

  it('hotline numbers name the organisation and 坐席 / 接线生 the agent in the opening', () => {
    expect(has([['agent', '您好 很高兴为您服务 95598 我是326号客服代表']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 社保服务热线 坐席六二号 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 很高兴为您服务 请问有什么可以帮您']], 'missing_self_identification')).toBe(true);
  });

  it('an acknowledging 嗯 is no filler, a hesitating one is; impatience with a slow customer is banned, patience is not (eighteenth and nineteenth sets)', () => {
    const fillers = (t: string) => count([['agent', '您好 请问有什么可以帮您'], ['agent', t]], 'filler');
    expect(fillers('嗯')).toBe(0);
    expect(fillers('嗯 好的 我帮您查一下')).toBe(0);
    expect(fillers('嗯 拜拜')).toBe(0);
    expect(fillers('嗯，请您稍等')).toBe(1);
    expect(fillers('嗯，那个，您的订单')).toBe(2);
    const en = (t: string) => count([['agent', 'good afternoon harmony funeral plans this is jo'], ['agent', t]], 'banned_phrase');
    for (const t of ["mrs brennan i've told you three times now they are not here", 'can you put someone younger on the phone', "you're getting confused again, i've been through this"])
      expect(en(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['let me say that again more slowly', 'no problem at all, take your time'])
      expect(en(t), t).toBe(0);
    const zh = (t: string) => count([['agent', '您好 燃气热线 工号四六二'], ['agent', t]], 'banned_phrase');
    expect(zh('四百六 您耳朵不好使啊')).toBeGreaterThanOrEqual(1);
    expect(zh('不着急 我再给您说一遍 四百六十块')).toBe(0);
    const esc = (t: string) => has([['agent', 'hi'], ['customer', t]], 'customer_escalation');
    expect(esc("i have power of attorney for my mum, i need to change her address")).toBe(false);
    expect(esc("if it's not refunded i'm taking it to afca")).toBe(true);
  });
});

describe('text detectors: third-party complaints and sound-alike words (sixteenth to nineteenth blind sets)', () => {
  it('a complaint about a third party is the request, not an escalation; the same words at the centre are one', () => {
    const zh = (t: string) => has([['agent', '您好 市民热线'], ['customer', t]], 'customer_escalation');
    for (const t of ['喂 是一二三四五吗 我想反映个事', '我要投诉我们小区的物业 暖气半个月不热了', '装修公司跑路了 我该怎么投诉他们', '有个顾客投诉我们 说菜里有头发 平台直接扣了钱', '邻居天天半夜装修 我已经报警了 这事跟你们没关系 就想问问还能找谁', '我帮朋友问问 他那个事能去12315吗'])
      expect(zh(t), t).toBe(false);
    for (const t of ['你们物业费乱收 我要投诉你们', '这个骑手是你们平台的 你们不管我就打12315', '我要投诉你 你工号多少', '再不处理我就打一二三四五'])
      expect(zh(t), t).toBe(true);
    const en = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ['how do i make a complaint about my landlord, he kept the deposit', 'a passenger complained about me and you took points off', 'i was going to complain but you sorted it, thanks', "my dad can't talk, i'm his attorney"])
      expect(en(t), t).toBe(false);
    for (const t of ["i'm going to complain about this to the ombudsman", 'get me your manager', "i'll be reporting this pharmacy to the regulator"])
      expect(en(t), t).toBe(true);
  });

  it('a Chinese fuzzy hit is a slip of a character or two, not a different word that sounds alike', () => {
    const zh = (t: string) => has([['agent', '您好'], ['customer', t]], 'customer_escalation');
    expect(zh('我们家楼下那个社区医院行不行')).toBe(false); // 区医院 sounds like 区议员
    expect(zh('我要去找区议员反映')).toBe(true);
    expect(count([['agent', '宁好 欢迎致电'], ['customer', '喂']], 'greeting')).toBe(1); // 宁好: one character slipped
  });
});

describe('text detectors: phrasing rules from the twenty-first to twenty-fourth blind sets', () => {
  const esc = (t: string, who: Speaker = 'customer') => has([['agent', 'thanks for calling'], [who, t]], 'customer_escalation');

  it('an old complaint that was settled, advice to complain turned down and a joke are no escalation; a live threat is', () => {
    for (const t of ['俺上回打那个12345 是因为电压低 那个早给弄好了', '我邻居说要去投诉你们 我觉得算了 就问问啥时候来', '要是骗子我可就报警了啊 哈哈 开玩笑的', 'my son wanted me to complain to the better business bureau but i told him no', "my daughter said i should call the attorney general but i said let's just call them first", '妹子你工号多少啊 我记一下'])
      expect(esc(t), t).toBe(false);
    for (const t of ['再不来人我就打一二三四五', "i'm going to lay a complaint with i kasa", '你叫恁领导来跟俺说', '我们业委会下个月就把你们这物业换了', "i'm done i'm cancelling today and switching to fiberlink"])
      expect(esc(t), t).toBe(true);
  });

  it('openings: "hello, can you hear me?" is no greeting; a full opening after it identifies late; the words before "this is" name the company', () => {
    const events = (lines: Line[]) => run(lines).map((e) => e.type);
    const bad = events([['agent', 'hello'], ['customer', 'sorry one sec'], ['agent', 'hello can you hear me'], ['customer', 'yes go ahead'], ['agent', 'hi sorry about that thank you for calling bluewing airlines this is andre how can i help']]);
    expect(bad).toContain('late_greeting');
    expect(bad).toContain('late_self_identification');
    expect(events([['agent', 'travelwise this is ken speaking'], ['customer', 'hi ken']])).toContain('self_identification');
    expect(events([['agent', 'hello this is ken speaking'], ['customer', 'hi ken']])).toContain('missing_self_identification');
    expect(events([['agent', 'good morning this is ken'], ['customer', 'hi ken']])).toContain('missing_self_identification');
  });

  it('a late introduction: beside the company, or when the customer asks who is speaking; a name alone later is none', () => {
    const late = (lines: Line[]) => run(lines).some((e) => e.type === 'late_self_identification');
    const opening: Line[] = [['agent', 'hello'], ['agent', 'hello anybody there'], ['customer', 'sorry i was on mute'], ['agent', 'okay what do you need'], ['customer', 'my parcel never came']];
    expect(late([...opening, ['agent', 'okay this is carlos with swiftway couriers can i get the tracking number']])).toBe(true);
    expect(late([...opening, ['agent', 'okay this is the tracking page i need the number']])).toBe(false);
    const asked: Line[] = [['agent', 'hiya northgate homes repairs'], ['customer', 'my heating is off'], ['agent', 'whats the address'], ['customer', 'flat nine carrick house'], ['customer', 'sorry who am i speaking to']];
    expect(late([...asked, ['agent', "it's kev"]])).toBe(true);
    expect(late([['agent', '您好 供暖热线'], ['customer', '暖气不热'], ['agent', '地址是哪里'], ['customer', '幸福小区三号楼'], ['customer', '你是哪位啊'], ['agent', '我是小刘']])).toBe(true);
  });

  it('speech of no side (an IVR menu before the agent) is not the agent\'s; on an outbound call reaching a menu it is the other side\'s', () => {
    const ivr: Line[] = [['unknown', '您好欢迎致电和美家电售后服务中心 坐席全忙 请您耐心等待'], ['unknown', '现在为您接通'], ['unknown', '正在转接'], ['unknown', '请稍候'], ['agent', '您好 和美家电售后 工号六六零八 让您久等了'], ['customer', '洗衣机响']];
    // the IVR's 您好欢迎致电 is no greeting of the agent's; and the menu and the queue come before the call connects
    // (core/connect.ts: the first speech of either side), so the agent greeting as it is put through is in time
    const events = run(ivr);
    expect(events.find((e) => e.type === 'greeting')?.start).toBe(16.5);
    expect(events.find((e) => e.type === 'greeting')?.details).toMatchObject({ connectSec: 16.5 });
    const types = events.map((e) => e.type);
    expect(types).not.toContain('late_greeting');
    expect(types).toContain('self_identification');
    const outbound: Line[] = [['unknown', 'thank you for calling mercer plumbing press one for billing'], ['unknown', 'please leave your message'], ['unknown', 'after the tone'], ['agent', 'hi this is jordan with city wide electric returning a call for tom'], ['agent', 'thanks a lot have a good one']];
    expect(run(outbound).map((e) => e.type)).toContain('late_greeting');
  });

  it('closings that thank for flying, renting or staying, or wish a safe trip; "thanks for holding" is none', () => {
    const closing = (t: string) => has([['agent', 'hello thanks for calling'], ['customer', 'bye'], ['agent', t]], 'closing');
    for (const t of ['thank you for flying bluewing and happy holidays', 'thanks so much for calling roadstar and enjoy the rest of your trip', 'we look forward to having you back with us tomorrow good night', 'have a safe flight home'])
      expect(closing(t), t).toBe(true);
    expect(closing('thanks for holding my manager anna will take it from here')).toBe(false);
  });

  it('discourse "like" anywhere but the verb and comparisons; backchannels and 金额 are no fillers; 原来那个 is a demonstrative', () => {
    const fillers = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'filler');
    for (const t of ['so like the add ons should have been explained', 'you just like close it and open it again', 'you pay like a third up front']) expect(fillers(t), t).toBe(1);
    for (const t of ["i'd really like to help you", 'would you like me to do that', 'it looks like the warehouse', 'like i said it ships monday', 'something like that', 'mm-hmm', 'uh-huh'])
      expect(fillers(t), t).toBe(0);
    const zh = (t: string) => count([['agent', '您好'], ['agent', t]], 'filler');
    expect(zh('面积对的话 应缴金额 您核对一下')).toBe(0);
    expect(zh('我可以帮您把密码改回原来那个 您还记得吗')).toBe(0);
    expect(zh('这个我们管不了')).toBe(0);
    expect(zh('那个 您的订单号是多少')).toBe(1);
  });

  it('banned: shirking and impatience in both languages; the softened 有点不明白您的意思 is allowed', () => {
    const banned = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'banned_phrase');
    for (const t of ["that's on your end not ours", "that's between you and the hotel not us", "well you should have saved them that's kind of on you", "i've already told you we don't do internal pipes", 'real mature guys grow up', '这不归我们95598管', '楼上漏水你找楼上去', '您冲我发火也没用', '再不说话挂了啊', '这个不是我们的 responsibility'])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['非常抱歉 我有点不明白您的意思 您是问学生票吗', "the fault is on the line outside, i'll book an engineer", '您可以联系房东协商 我把物业电话给您'])
      expect(banned(t), t).toBe(0);
  });
});

describe('text detectors: phrasing rules from the twentieth blind set (banks, cards, insurance, wealth)', () => {
  const banned = (t: string) => count([['agent', '您好 广融信用卡 工号六零三二'], ['agent', t]], 'banned_phrase');
  it('promising a return or no risk is banned (诈单); the disclosure and the question are not', () => {
    for (const t of ['这款是保本的 到期肯定能拿到', '就当存款一样 稳赚不赔', "honestly you're basically guaranteed six percent a year", "it's as safe as your cash isa just with a better rate"])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['这款产品不保本 也不承诺收益 投资有风险', 'returns are not guaranteed and the value can go down', 'your deposit is protected up to eighty five thousand pounds'])
      expect(banned(t), t).toBe(0);
  });

  it('an abusive collector is banned; a firm but polite one is not', () => {
    for (const t of ['别跟我扯这些没用的 不然我们就联系你单位', 'stop making excuses everybody has got a story']) expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['我们可以给您做一个分期还款方案', 'i understand, can we set up a payment plan today']) expect(banned(t), t).toBe(0);
  });

  it('a question about a regulator or the police, or news read about one, is no escalation; a threat is', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ['那钱还能拿回来吗 我是不是要报警啊', '我看新闻说金融监管总局还罚了你们是怎么回事', 'the leaflet mentions the financial ombudsman what is that exactly', 'they told me to move my money to a safe account'])
      expect(esc(t), t).toBe(false);
    for (const t of ['再不处理我就去金融监管总局投诉你们', "if you can't fix it i'm moving my whole portfolio to fidelity today"]) expect(esc(t), t).toBe(true);
  });

  it('a card centre names the organisation; "this is the fraud team" is no name', () => {
    expect(has([['agent', '您好广融信用卡 工号六零三二 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', 'hi good evening this is the fraud prevention team at first harbor bank']], 'missing_self_identification')).toBe(true);
  });
});

describe('text detectors: phrasing rules from the twenty-eighth blind set (an outsourced centre, many clients)', () => {
  it('comparisons with like are no fillers; loose like is', () => {
    const fillers = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'filler');
    for (const t of ['the thursday one is at ten fifteen like your original', 'turkey is not in the roam like home zone', "you'll have to wait like everyone else"]) expect(fillers(t), t).toBe(0);
    expect(fillers('it froze for like ten seconds')).toBe(1);
  });

  it('"see you" is not "sue you"; a supervisor given up, a past refund and a decline are no escalation', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ["he said sorry i didn't see you", 'okay fine forget the supervisor then', 'last time i complained about the noise and you refunded a night so thank you', '我朋友说这种可以去12315告你们 我觉得没必要', '喂 你好 是医保局吗 我想问一下报销', '去年也被停过一次 我也没投诉 算了'])
      expect(esc(t), t).toBe(false);
    for (const t of ["i'll sue you", "if this isn't sorted i'm cancelling and going to three", '我要去医保局投诉你们']) expect(esc(t), t).toBe(true);
  });

  it('refusing a supervisor, blaming a debtor, 快说 are banned; not knowing offhand and the customer\'s 记不清楚 are not', () => {
    const banned = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'banned_phrase');
    for (const t of ["managers don't take calls you can email if you want", "if you can't pay then don't borrow", '找领导也没用 领导来了也是这么说', '什么事 快说 后面还有人排队']) expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ["i don't know the answer offhand but i'll find out right now", '如果您记不清楚卡号 报一下后四位也可以']) expect(banned(t), t).toBe(0);
  });
});

describe('text detectors: written Cantonese and Taiwanese Mandarin (twenty-seventh blind set)', () => {
  it('我係 + a name identifies like 我是; a school or university office names the organisation', () => {
    expect(has([['agent', '你好 恒通銀行 我係 Fiona 有咩可以幫到你']], 'self_identification')).toBe(true);
    expect(has([['agent', '你好 柏園書院校務處 我係陳姑娘']], 'self_identification')).toBe(true);
    expect(has([['agent', '你好 恒通銀行 有咩可以幫到你']], 'missing_self_identification')).toBe(true);
  });

  it('Cantonese brush-offs are banned; the script\'s 有咩唔明白 is not', () => {
    const banned = (t: string) => count([['agent', '你好 港島大學財務處 我係 Winnie'], ['agent', t]], 'banned_phrase');
    for (const t of ['你講乜嘢 我唔明白 講清楚啲', '我頭先已經講咗喇 你問幾多次都係咁', '學費分期 我都唔知喎 你自己上網睇下啦', '好啦好啦 你不要就算了啦 真是的']) expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ['有咩唔明白可以再打嚟', '我幫你查一查 請稍等']) expect(banned(t), t).toBe(0);
  });

  it('a complaint about a bus driver, one already followed up, a stolen wallet\'s cancellations are no escalation; 金管會 and 轉按 are', () => {
    const esc = (t: string) => has([['agent', '你好'], ['customer', t]], 'customer_escalation');
    for (const t of ['你好 我想 complain 一個車長 佢今朝好粗魯', '上次我嚟投訴過啲的士 後來你哋都有跟進 多謝喎', 'my bag got snatched my wallet also inside i need to cancel all my cards', '我同事說他攜碼到別家比較便宜 不過我懶得換啦'])
      expect(esc(t), t).toBe(false);
    for (const t of ['你們不處理 那我就直接打去金管會申訴', '如果你哋罰息咁貴 我就轉按去第二間銀行', "if you all cannot settle by the fifteenth i'm porting to the other telco"]) expect(esc(t), t).toBe(true);
  });

  it('嗰個 hesitating is a filler; 呃 meaning "to cheat" is not', () => {
    const fillers = (t: string) => count([['agent', '你好'], ['agent', t]], 'filler');
    expect(fillers('嗰個 我可以幫你申請一張臨時嘅數據卡')).toBe(1);
    expect(fillers('我哋唔會呃客人錢嘅')).toBe(0);
  });
});

describe('text detectors: phrasing rules from the twenty-fifth and twenty-sixth blind sets (after-sales, motor and insurance)', () => {
  it('advice to complain turned down, a complaint held back, one settled, scammers reported are no escalation; demands and leaving are', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ['我邻居说这种可以找消协 我说不至于 你们能给换就行', '我老婆都说要投诉你们了 我说先打电话问问再说', '说实话要不是看你态度好我早就投诉了', '上次空调的事我投诉过一次 后来你们给修好了', "mate i'm not gonna make a complaint or anything", "oh i won't i'm gonna report them to the ftc is that a thing", "i wanted to check if that's you guys"])
      expect(esc(t), t).toBe(false);
    for (const t of ["fine then cancel my plus membership i'll just order from target from now on", "i'm done i'm cancelling this membership today", 'i want to talk to your service manager today', '你把你们售后经理的电话给我 我要直接跟他谈'])
      expect(esc(t), t).toBe(true);
  });

  it('after-sales brush-offs and blame are banned; a polite "that\'s your choice of course" is not', () => {
    const banned = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'banned_phrase');
    for (const t of ['您下单的时候自己没看清楚吗 这个不能怪商家吧', '我们是官方旗舰店 怎么可能卖假货 你爱信不信', '还有别的事吗 没有我就挂了', '你这个是三者全责 你找我们干嘛', '这个钱你找拖车公司要 我们不管', "the delivery is a courier matter that's not really my department"])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    for (const t of ["that's your choice of course our goal is to get this resolved", '我们不管多晚都会给您回电']) expect(banned(t), t).toBe(0);
  });

  it('a role word and a surname name the agent (钣喷顾问梁志豪); "can i speak with" is no name; 这边的客服 names no company', () => {
    expect(has([['agent', '您好 这里是华驰汽车售后服务中心 我是钣喷顾问梁志豪']], 'self_identification')).toBe(true);
    expect(has([['agent', 'can i speak with a mister okafor please']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 我是这边的客服小雨']], 'missing_self_identification')).toBe(true);
  });
});

describe('text detectors: a repeated hesitation is two fillers', () => {
  it('那个 那个 counts twice, 然后 然后 once', () => {
    const fillers = (t: string) => count([['agent', '您好'], ['agent', t]], 'filler');
    expect(fillers('好的 那个 那个 您车上是什么情况')).toBe(2);
    expect(fillers('然后 然后 您需要先做人脸识别')).toBe(1);
  });
});

describe('text detectors: an ordinary day in mainland centres (twenty-ninth blind set)', () => {
  it('小杨为您服务 names the agent; 骚扰电话 is no complaint; leaving for another platform is churn', () => {
    expect(has([['agent', '国网客服中心 小杨为您服务 请问有什么需要']], 'self_identification')).toBe(true);
    const esc = (t: string) => has([['agent', '您好'], ['customer', t]], 'customer_escalation');
    expect(esc('我最近天天接到那种骚扰电话 听说可以拦截')).toBe(false);
    expect(esc('明天还不来装 我就退了 去天猫买')).toBe(true);
  });
  it('brush-offs are banned; 就是这个 is a demonstrative', () => {
    const banned = (t: string) => count([['agent', '您好 韵达 工号三三'], ['agent', t]], 'banned_phrase');
    for (const t of ['你这个地址太偏了 我们不送那边 你自己过来拿吧', '阶梯电价又不是我们定的', '那您到底想办什么']) expect(banned(t), t).toBeGreaterThanOrEqual(1);
    expect(count([['agent', '您好'], ['agent', '对 就是这个 您点进去']], 'filler')).toBe(0);
  });
});

describe('text detectors: younger customers and app services (thirty-first blind set)', () => {
  it('a hacker who took all my skins, a buddy at the labor board, a police report on a scammer are no escalation; someone above you is', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ['somebody logged in from brazil and took all my skins', 'my buddy said he had to go to the labor board but i just want my account back', "i'm not trying to file a complaint or anything", '我昨天已经报警了 派出所让我找你们平台要聊天记录'])
      expect(esc(t), t).toBe(false);
    for (const t of ['i still want to talk to someone above you', "i'm cancelling plus and going back to ubereats", '你们不退的话 我就 report 给 consumer council']) expect(esc(t), t).toBe(true);
  });
  it('"bruh", blaming the restaurant, 不关我们事, 规则就是这样 are banned; "you won\'t lose your progress" is not', () => {
    const banned = (t: string) => count([['agent', 'hi thanks for calling grubly this is sam'], ['agent', t]], 'banned_phrase');
    for (const t of ['bruh it literally says non refundable', 'the food quality part is on the restaurant not us', 'you contact the rider lah 不关我们事', '这个没办法 规则就是这样 你懂吧']) expect(banned(t), t).toBeGreaterThanOrEqual(1);
    expect(banned("tap clear cache not clear data so you won't lose your progress")).toBe(0);
  });
  it('"this is ines" is a name (the stemmer makes ines "in"); thanks for ordering with … closes', () => {
    expect(has([['agent', 'good evening thanks for calling tablr this is ines how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', 'hello'], ['customer', 'thanks'], ['agent', 'thanks for your patience and for ordering with grubly enjoy the rest of your night']], 'closing')).toBe(true);
  });
});

describe('text detectors: an ordinary day in English-speaking centres (thirtieth blind set)', () => {
  it('a PUK code is no PAC code; a decided switch, a neighbour at the ombudsman, a question about the police are no escalation; a conditional switch is', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ["my phone's locking me out it's asking for a puk code", "i'm out of contract and i've signed up with another provider so i just need to cancel", 'my neighbour had a nightmare with her insurer and ended up going to the ombudsman', 'should i go to the police as well', 'honestly i was about to close my account over this but thank you'])
      expect(esc(t), t).toBe(false);
    expect(esc("if you can't come close i'm cancelling and going with them")).toBe(true);
  });
  it('blaming the customer for not reading, "speak properly", "i can\'t stop you" are banned', () => {
    const banned = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'banned_phrase');
    for (const t of ["it was in the terms i can't help that you didn't read them", "sorry i can't understand you can you speak properly", "if you want to leave that's up to you i can't stop you", "there's nothing more i can tell you"])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
  });
});

describe('text detectors: business customers and B2B lines (thirty-second blind set)', () => {
  it('"sue you" is matched as written only; taking the business elsewhere, 12363, 劳动仲裁 are threats; coming from another carrier is not', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ["i've got emails and a diary so yeah", "we're moving our main line over from another carrier", '我朋友他们都说要switch到别家平台 但是我们用习惯了 还是想stay', '我看网上好多人都在投诉这个', '司机老说要换别家的 我跟他们说先别急'])
      expect(esc(t), t).toBe(false);
    for (const t of ["i'll sue you", "if this happens again we're moving all our company cards to amex", '到时候还没有 我直接打一二三六三', '你们不给我 我就去劳动仲裁', '今天发不出去 我们就把基本户转到招行去'])
      expect(esc(t), t).toBe(true);
  });
  it('B2B brush-offs are banned; "attach whatever you have got" is not', () => {
    const banned = (t: string) => count([['agent', 'hello thanks for calling'], ['agent', t]], 'banned_phrase');
    for (const t of ["there's no manager available and they'd tell you the same thing anyway", "i'm not sure what you want me to do it's not like i can fix the servers myself", '出款我们已经出了 后面到没到那是银行的事', '转主管也一样 主管也是这么说'])
      expect(banned(t), t).toBeGreaterThanOrEqual(1);
    expect(banned("perfect attach whatever you've got")).toBe(0);
  });
});

describe('text detectors: bilingual Singapore, Malaysia and Hong Kong centres (thirty-fifth blind set)', () => {
  it('早晨 and 多谢致电 open a Cantonese call; 今天早晨 does not', () => {
    expect(has([['agent', '早晨 多謝致電宏安保險 我係梁詠詩 工號四四二零']], 'greeting')).toBe(true);
    expect(has([['agent', '今天早晨我们系统升级'], ['customer', '哦']], 'missing_greeting')).toBe(true);
  });
  it('a wife\'s old complaint, last month\'s, advice not taken, a family plan elsewhere are no escalation; the consumer council, MAS, a complaints bureau are', () => {
    const esc = (t: string) => has([['agent', 'thanks for calling'], ['customer', t]], 'customer_escalation');
    for (const t of ['我老婆上次 complain 过 你们 agent 说 form 很难填', '我的 GIRO 扣了两次 我上个月也 complain 过', '我朋友叫我去消委會投訴 不過我唔想搞咁大', 'i want to port my number to another telco my family all on the same plan there'])
      expect(esc(t), t).toBe(false);
    for (const t of ['if you charge me for this i will report it to the consumer council', 'excuse me i will write to mas about how you people sell policies', "if this is not paid by friday i'm going to the insurance complaints bureau"])
      expect(esc(t), t).toBe(true);
  });
});

describe('text detectors: an ordinary day at Mandarin centres, mainland and Taiwan (thirty-third blind set)', () => {
  it('我叫 across a pause and a pharmacist with a surname name the agent', () => {
    expect(has([['agent', '您好赵先生 我是宏达丰田4S店的售后顾问 我叫 马骏']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 市妇幼保健院药房 我是药师 李梅']], 'self_identification')).toBe(true);
  });
  it('a hypothetical cancellation, a threat not made, last week\'s complaint followed up are no escalation', () => {
    const esc = (t: string) => has([['agent', '您好'], ['customer', t]], 'customer_escalation');
    for (const t of ['那如果我以后要解约 会损失很多吗', '我本来想打12315的 想想还是先问你们', '我上个礼拜投诉过一个收费的问题 想问下进度', '挺满意的 没有什么要投诉的']) expect(esc(t), t).toBe(false);
    expect(esc('再不给我退 我现在就打12315')).toBe(true);
  });
  it('跟我们没关系 passing the blame is banned', () => {
    expect(count([['agent', '您好 工号一二'], ['agent', '安装是第三方师傅负责的 这是安装师傅的问题 跟我们没关系']], 'banned_phrase')).toBeGreaterThanOrEqual(1);
  });
});

describe('text detectors: cues with a reach, the opening words, split introductions (blind sets 37-40)', () => {
  const esc = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
  it('a hedge clears the threat right after it, not one further on', () => {
    expect(esc("i'm not going to switch supplier i just need more time")).toBe(0);
    expect(esc('my brother reckons the ombudsman would side with me')).toBe(0);
    expect(esc('my daughter said i should write to the ombudsman')).toBe(0);
    expect(esc("i'm not going to wait any longer put me through to your manager")).toBe(1);
    expect(esc("i'm going to the ombudsman")).toBe(1);
    expect(esc('我不打算去工信部 就是想问问')).toBe(0);
    expect(esc('我老公让我去找媒体 我觉得没必要')).toBe(0);
    expect(esc('我不想跟你说了 叫你们经理来')).toBe(1);
    expect(esc('再不处理我就打12315')).toBe(1);
  });

  it('a question about the process clears the mention just before it', () => {
    expect(esc('要是我去银保监那边反映 有用吗')).toBe(0);
    expect(esc('theres a box for the regulator is that ofcom whats their number')).toBe(0);
    expect(esc('if i complain to the ombudsman how long would that take')).toBe(0);
    expect(esc('我要去银保监投诉你们')).toBe(1);
    expect(esc("i'm complaining to the ombudsman today")).toBe(1);
  });

  it('the words that open the first utterance after its greeting name the company', () => {
    expect(has([['agent', 'good morning hartwell appliance care youre speaking with nadia how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好捷运速递 工号幺九零二']], 'self_identification')).toBe(true);
    expect(has([['agent', 'good morning thanks for calling youre speaking with nadia how can i help']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '您好 我是客服小王 请问有什么可以帮您']], 'missing_self_identification')).toBe(true);
  });

  it('an introduction split at a pause is evidence over both utterances', () => {
    const ev = run([['agent', 'Hello, thank you for calling Westline Energy. My name'], ['agent', 'is Gemma. How can I help you today?']]).find((e) => e.type === 'self_identification');
    expect(ev?.end).toBeGreaterThanOrEqual(7.5);
  });

  it('"one" is not "on", "you\'ll wanna" is no slang; seed 001\'s 诈单 forms are banned', () => {
    const banned = (text: string) => count([['agent', 'hello thanks for calling'], ['agent', text]], 'banned_phrase');
    expect(banned("that one you'll still need to pay by the third")).toBe(0);
    expect(banned("you'll wanna update those once the new card comes")).toBe(0);
    expect(banned('这个是免费试用的 不满意随时可以取消')).toBe(1);
    expect(banned('一个月十五块 算下来每天才五毛钱')).toBe(1);
    expect(banned("it's totally free and you can cancel any time")).toBe(1);
    expect(banned('the plan is fifteen a month and you can cancel any time')).toBe(0);
  });
});

describe('text detectors: closings and openings across short turns (blind sets 36-40)', () => {
  it('a closing formula followed only by goodbyes is the closing, its evidence running on to the last bye', () => {
    const ev = run([['agent', 'hello thanks for calling'], ['customer', 'thats all thanks'], ['agent', 'thanks a million for calling enjoy the rest of your day'], ['customer', 'bye bye'], ['agent', 'bye bye']]).find((e) => e.type === 'closing');
    expect(ev?.start).toBeLessThan(12);
    expect(ev?.end).toBeGreaterThan(16);
    expect(has([['agent', 'hello acme energy how can i help'], ['customer', 'i wanted to check when my meter reading is due this month'], ['agent', 'ok bye']], 'missing_closing')).toBe(true);
  });

  it('a "hello" that only picks up the line is not the opening when a full one follows in the window', () => {
    const lines: Line[] = [['agent', 'hello yeah'], ['customer', 'hello is that vodacall'], ['agent', 'sorry one sec'], ['customer', 'ok'], ['agent', 'sorry about that good afternoon youre through to vodacall im jess how can i help']];
    const ev = run(lines).find((e) => e.type === 'greeting');
    expect(ev?.start).toBeGreaterThan(16);
    expect(run([['agent', 'hello you have reached acme how can i help'], ['customer', 'hi'], ['agent', 'good morning']]).find((e) => e.type === 'greeting')?.start).toBeLessThan(1);
  });
});

describe('text detectors: introductions and backchannels of the nineteenth and twentieth rounds', () => {
  it('"it\'s <name> from <company>" and <company>的<name> name the agent; "it\'s" alone and 燃气表前面的阀门 do not', () => {
    expect(has([['agent', 'hi is that ms hartley its daniel from crestview home insurance']], 'self_identification')).toBe(true);
    expect(has([['agent', 'its fine from what i can see']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '刘先生您好，我是远征汽车客户服务中心的郑晓雯，']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好，华源燃气抢修热线，请讲。'], ['customer', '我家厨房好大一股煤气味'], ['agent', '请您马上关掉燃气表前面的阀门，打开门窗']], 'missing_self_identification')).toBe(true);
  });

  it('嗯嗯 agreeing is no filler; a hesitating 嗯 still is', () => {
    expect(count([['agent', '您好 这里是星河银行'], ['agent', '嗯嗯 理解 我这边先帮您登记']], 'filler')).toBe(0);
    expect(count([['agent', '您好 这里是星河银行'], ['agent', '嗯，请您稍等一下']], 'filler')).toBe(1);
  });

  it('reported speech is someone else\'s threat; the caller\'s own stays', () => {
    const esc = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(esc('我邻居都说再不管就要找电视台了')).toBe(0);
    expect(esc('你刚才怎么跟我妈说话的 我要找你们领导')).toBe(1);
    expect(esc('my brother says the ombudsman would side with us')).toBe(0);
    expect(esc('i said no im reporting this number to the ftc')).toBe(1);
  });
});

describe('text detectors: word-spaced Chinese recogniser output (twenty-first round)', () => {
  it('a space between every word is not a pause: 这个 before a noun is no filler there; whisper\'s phrase spaces still are pauses', () => {
    const spaced = '呃 这个 情况 是 单位 在 给 您 开户 的 时候 登记 错 了 需要 单位 先 做 变更';
    expect(count([['agent', '您好 这里是公积金中心'], ['agent', spaced]], 'filler')).toBe(1); // the 呃
    expect(count([['agent', '您好 这里是公积金中心'], ['agent', '呃 这个 您稍等一下 我帮您查一下']], 'filler')).toBe(2);
  });

  it('你-forms close, and the company before 您好 opens an introduction', () => {
    expect(has([['agent', '您好 这里是星河电信'], ['customer', '好的 没有了'], ['agent', '不客气 谢谢你的来电 祝你有美好的一天']], 'closing')).toBe(true);
    expect(has([['agent', '樂買網您好，我是客服小周，請問有什麼可以幫您？']], 'self_identification')).toBe(true);
  });
});

describe('text detectors: the twenty-second round (blind sets 59-62)', () => {
  it('"its <name>" after the company and "you are through to <name>" name the agent; "its" as a possessive, "its coming up" and "it" do not', () => {
    expect(has([['agent', 'thanks for calling oakridge pet insurance its lena how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', 'good evening brightwater energy you are through to callum']], 'self_identification')).toBe(true);
    expect(has([['agent', 'thanks for calling oakridge pet insurance its renewal time for you isnt it']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'hi is this mark'], ['customer', 'yes'], ['agent', 'im calling about your policy its coming up for renewal']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'oakridge pet insurance did you buy it online']], 'missing_self_identification')).toBe(true);
  });

  it('an outbound "calling back from" and a late "i should have said, it\'s <name> from <company>" name the agent', () => {
    expect(has([['agent', 'hi mrs doyle its priya calling back from elmfield council about your bins']], 'self_identification')).toBe(true);
    const late = run([
      ['agent', 'hi is that mrs doyle'],
      ['customer', 'yes who is this'],
      ['agent', 'about the bins you reported last week'],
      ['customer', 'oh right'],
      ['agent', 'the crew went round on monday'],
      ['agent', 'sorry i should have said its priya from elmfield council'],
    ]);
    expect(late.map((e) => e.type)).toContain('late_self_identification');
  });

  it('a late opening names the company after its greeting: "sorry about that, good morning <company>, you\'re speaking with <name>"', () => {
    const events = run([
      ['agent', 'just put the kettle on will you'],
      ['agent', 'yeah two secs'],
      ['customer', 'hello'],
      ['agent', 'hang on'],
      ['agent', 'sorry about that good morning harbourside motors youre speaking with tom how can i help'],
    ]);
    expect(events.map((e) => e.type)).toContain('late_self_identification');
  });

  it('Chinese roles with the company before 的 and a name after: 的课程顾问, 业务小黄, 顾问Amy; 我们的课程顾问会联系您 is no introduction', () => {
    expect(has([['agent', '您好 我是启明星少儿美术的课程顾问 我叫林悦']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好，我是远航驾校的销售顾问Jason']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 這裡是大發中古車 我是業務小林']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 稍后我们的课程顾问会联系您']], 'missing_self_identification')).toBe(true);
  });

  it('诈单 in the seed\'s shapes: stops by itself, a price per day or in bottles of water, a service placed before consent; the statement that it does not stop by itself is allowed', () => {
    const banned = (text: string) => segmentsWith([['agent', '您好 这里是星河电信 工号1024'], ['agent', text]], 'banned_phrase');
    expect(banned('这个视频会员前两个月免费 到期它自动就取消了 您什么都不用管')).toBe(1);
    expect(banned('算下来一天也就几毛钱 还不到一杯奶茶的钱')).toBe(1);
    expect(banned('那我先帮您开上 您用着看')).toBe(1);
    expect(banned('提醒您一下 这个业务到期不会自动取消 需要您打电话退订')).toBe(0);
    const en = (text: string) => segmentsWith([['agent', 'thanks for calling brightwater energy this is sam'], ['agent', text]], 'banned_phrase');
    expect(en('the cover is free for three months and then it just drops off on its own')).toBe(1);
    expect(en('its honestly pennies a day')).toBe(1);
    expect(en('ill just pop you down for it and you can cancel later if you change your mind')).toBe(1);
    expect(en('the cover is free for three months and then it renews at four pounds a month unless you cancel')).toBe(0);
  });

  it('mocking, threats and blame are banned; ending a call with an abusive caller, sending an engineer and a real refund are not', () => {
    const en = (text: string) => segmentsWith([['agent', 'thanks for calling brightwater energy this is sam'], ['agent', text]], 'banned_phrase');
    expect(en('resetting a router isnt exactly rocket science')).toBe(1);
    expect(en('carry on like that and your account gets flagged then see who helps you')).toBe(1);
    expect(en('you must have knocked the cable out when you moved it')).toBe(1);
    expect(en('if the abuse continues im going to end the call')).toBe(0);
    expect(en('you wont be charged anything for the engineer visit')).toBe(0);
    const zh = (text: string) => segmentsWith([['agent', '您好 这里是华源燃气 工号3321'], ['agent', text]], 'banned_phrase');
    expect(zh('这有什么不会的 现在小学生都会弄')).toBe(1);
    expect(zh('下周再不交 你自己掂量着办')).toBe(1);
    expect(zh('管道漏了你找物业去啊 打我们这有啥用')).toBe(1);
    expect(zh('您爱退不退 规定就是这样')).toBe(1);
    expect(zh('您别担心 我们马上派人上门检查')).toBe(0);
  });

  it('a past complaint that was answered, a relative\'s complaint, "is it worth going to the ombudsman" are no escalation; switching to a named carrier, the customer\'s own lawyer are', () => {
    const esc = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(esc('last year i complained and you sent someone round the same day')).toBe(0);
    expect(esc('my neighbour complained to the ombudsman about you and got nowhere')).toBe(0);
    expect(esc('would it even be worth writing to the ombudsman about this')).toBe(0);
    expect(esc('再拖下去我就换联通 全家的号一起转走')).toBe(1);
    expect(esc('行 那我让我的律师跟你们谈')).toBe(1);
    expect(esc('我本来想着实在不行就转网 现在这样也可以')).toBe(0);
  });
});

describe('text detectors: the twenty-third round (blind sets 63-64, held out on 85e893f)', () => {
  it('a hotline number in Chinese numerals is the hotline; a service line asked about is not a threat', () => {
    const esc = (text: string) => count([['agent', '您好 这里是华源供电'], ['customer', text]], 'customer_escalation');
    expect(esc('你这个态度 我要打幺二三九八告你们')).toBe(1);
    expect(esc('再不给我修 我就打一二三幺五')).toBe(1);
    expect(esc('我想问一下幺二三三三是查社保的电话吗')).toBe(0);
  });

  it('praise through the supervisor, "would it make any difference if i complained", a husband held back are no escalation; a councillor is', () => {
    const esc = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(esc('could i speak to his supervisor i want to tell them what a great job he did')).toBe(0);
    expect(esc('would it make any difference if i complained about the delay')).toBe(0);
    expect(esc('im writing to my local councillor about this')).toBe(1);
    expect(count([['agent', '您好 这里是星河电信'], ['customer', '我老公一直嚷嚷要投诉你们 我拦着他呢']], 'customer_escalation')).toBe(0);
  });

  it('mis-selling an add-on and blaming are banned; a fault put down to the rider with an apology is not', () => {
    const en = (text: string) => segmentsWith([['agent', 'thanks for calling brightwater mobile this is sam'], ['agent', text]], 'banned_phrase');
    expect(en('its on your summary as five pounds but thats just how the system lists it')).toBe(1);
    expect(en('you ignored every letter we sent so this ones on you')).toBe(1);
    expect(en('the charge is five pounds a month and it shows on your bill from june')).toBe(0);
    const zh = (text: string) => segmentsWith([['agent', '您好 这里是饱饱外卖 工号3321'], ['agent', text]], 'banned_phrase');
    expect(zh('这都看不懂啊 有什么难的')).toBe(1);
    expect(zh('就当白拿嘛 跟没花钱一样')).toBe(1);
    expect(zh('这个是骑手的问题 非常抱歉 我马上给您补偿')).toBe(0);
  });
});

describe('text detectors: after blinds 65-66 (held out on a154ed2)', () => {
  it('"<name> with|at <company>" after a loose name cue names the company; "this is dave with you in a moment" does not; a badge number is a staff number', () => {
    expect(has([['agent', 'hi mr lowe this is priya with harbour point property management about your service charge']], 'self_identification')).toBe(true);
    expect(has([['agent', 'hello youre speaking with callum at westbay credit union how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', 'hi this is dave with you in a moment']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', 'Quickbite support, badge 2208, go ahead.']], 'self_identification')).toBe(true);
  });

  it('"is there any point going to the ombudsman or is that a waste of time" and 投诉就算了 are no escalation; "you\'ll never see me again" is', () => {
    const esc = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(esc('is there any point me going to the ombudsman over this or is that a waste of time')).toBe(0);
    expect(esc('im not ringing to complain i just want the refund')).toBe(0);
    expect(esc('sort it today or im going with another firm and youll never see me again')).toBe(1);
    expect(count([['agent', '您好 这里是星河电信'], ['customer', '那先帮我催一下 投诉就算了']], 'customer_escalation')).toBe(0);
  });

  it('"likely" is no filler "like"; "have a great arvo" closes', () => {
    expect(count([['agent', 'thanks for calling brightwater this is sam'], ['agent', 'its likely to arrive on friday']], 'filler')).toBe(0);
    expect(has([['agent', 'thanks for calling brightwater this is sam'], ['customer', 'thats all'], ['agent', 'no worries thanks for calling and have a great arvo']], 'closing')).toBe(true);
  });
});

describe('text detectors: after blinds 67-68 (held out on b33fa42)', () => {
  it('any role followed by a 小/阿 name or a full name introduces the agent; 我是前台小区 does not', () => {
    expect(has([['agent', '您好 康达物业 我是管家小韦 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 优居地产 我是经纪人赵磊 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 飞跃健身 我是私教阿伟']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 康达物业 我是前台小区的门禁卡需要登记一下']], 'missing_self_identification')).toBe(true);
  });

  it('a company named between the greeting and the offer of help, and the name given late "by the way" or "i haven\'t introduced myself", is a late identification; a greeting alone or "this is priya speaking" names no company', () => {
    const late = (first: string, later: string) =>
      run([['agent', first], ['customer', 'hi i need to change my booking'], ['agent', 'sure let me look'], ['customer', 'thanks'], ['agent', later]]).map((e) => e.type);
    expect(late('Hello, Marlow and Finch, how can I help?', "Got it. I'm Dana, by the way, I'll sort that for you.")).toContain('late_self_identification');
    expect(late('Hi, thanks for calling Seabright Travel, how can I help?', "Sorry, I haven't even introduced myself, I'm Omar.")).toContain('late_self_identification');
    expect(late('Hello, good morning, how can I help?', "Got it. I'm Dana, by the way.")).toContain('missing_self_identification');
    expect(has([['agent', 'hi there, this is Priya speaking, how can I help you today?']], 'missing_self_identification')).toBe(true);
  });
});

describe('text detectors: round 23 (blinds 71-74: insurance, healthcare, business lines, home and property)', () => {
  it('a badge of one or two numerals, 老 + surname, 的小 + surname, and the company before 我是 introduce the agent; 我是老乡 does not', () => {
    expect(has([['agent', '您好 安居物业前台 我是七号 小刘 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 恒远货运 我是调度老张 工号五六二 您请讲']], 'self_identification')).toBe(true);
    expect(has([['agent', '喂 李女士您好 我是长青人寿的小周']], 'self_identification')).toBe(true);
    expect(has([['agent', '不好意思 您好 是的 顺捷搬家 我是客服小韩 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 我是老乡啊 您有什么事']], 'missing_self_identification')).toBe(true);
  });

  it('the company between a Chinese greeting and 请讲 waits for the name asked for later; an English company before or after the greeting is named', () => {
    const types = run([
      ['agent', '您好 宏达物流 零担调度 请讲'],
      ['customer', '我们的货到现在还没提'],
      ['agent', '您的提货单号多少'],
      ['customer', 'TH三五八二 你叫什么名字 工号多少'],
      ['agent', '我是调度员高峰 工号三八二 马上帮您催'],
    ]).map((e) => e.type);
    expect(types).toContain('late_self_identification');
    expect(has([['agent', 'greenway removals good afternoon this is kyle how can i help']], 'self_identification')).toBe(true);
    expect(has([['agent', 'sorry about the wait good morning northfield plumbing this is jo how can i help']], 'self_identification')).toBe(true);
  });

  it('"its confirmed", "at the pharmacy, its resent" and a closing\'s "have a good evening" introduce nobody; "i\'m rachel, the claims advisor" does', () => {
    const lines = (last: string): Line[] => [
      ['agent', 'parts desk'],
      ['customer', 'hi its about my order'],
      ['agent', 'sure whats the number'],
      ['customer', 'four four one two'],
      ['agent', last],
    ];
    expect(has(lines('right its booked for friday thanks have a good evening'), 'missing_self_identification')).toBe(true);
    expect(has(lines('i sent it to the clinic ok its resent'), 'missing_self_identification')).toBe(true);
    const advisor = run([
      ['agent', 'good morning harbour motor insurance how can i help'],
      ['customer', 'i need to report a claim'],
      ['agent', 'sure can i take your policy number'],
      ['customer', 'its h m four four one'],
      ['agent', 'thank you im rachel the claims advisor here i can see your policy'],
    ]).map((e) => e.type);
    expect(advisor).toContain('late_self_identification');
  });

  it('"we can come tomorrow morning or afternoon" and "hello hello can you hear me" are no greeting', () => {
    expect(has([['agent', 'claims whats your reference'], ['customer', 'k l one two'], ['agent', 'we can send someone tomorrow morning or afternoon']], 'missing_greeting')).toBe(true);
    const g = run([['agent', 'hello hello can you hear me'], ['customer', 'yes i can'], ['agent', 'sorry about that good morning lakeside dental this is amy how can i help']]).find((e) => e.type === 'greeting');
    expect(g?.start).toBeGreaterThan(4);
  });

  it('a threat after 你们要是 is a threat; a relative who once meant to complain, "not escalating", "the paper towels" and a firm sued by its own staff are not', () => {
    const zh = (text: string) => count([['agent', '您好 这里是星河电信'], ['customer', text]], 'customer_escalation');
    expect(zh('你们要是今天不给我退 我就去消协告你们')).toBe(1);
    expect(zh('我儿子那时候还说要投诉你们 后来也没投')).toBe(0);
    expect(zh('现在有工人说要去仲裁告我们了 你们系统到底怎么算的')).toBe(0);
    expect(zh('再这样 明年我家的车险就不在你们这保了')).toBe(1);
    const en = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(en('im not escalating this i just want to understand the charge')).toBe(0);
    expect(en('the paper towels went up again this month')).toBe(0);
    expect(en('my husband filed a complaint about the noise last winter')).toBe(0);
    expect(en('if it fails again were done with you and moving all our vans elsewhere')).toBe(1);
    expect(en('im taking this to the housing authority today')).toBe(1);
  });
});

describe('text detectors: banned shapes from round 23 (promises, blame, brush-offs, threats)', () => {
  const zh = (text: string) => segmentsWith([['agent', '您好 这里是安和保险 工号2231'], ['agent', text]], 'banned_phrase');
  const en = (text: string) => segmentsWith([['agent', 'thanks for calling harbour insurance this is sam'], ['agent', text]], 'banned_phrase');

  it('promises nobody can keep are banned; saying one cannot promise is not', () => {
    expect(zh('您放心 这个我给您打包票 续了以后保费都不会再涨')).toBe(1);
    expect(zh('最终以审核结果为准 这个我没办法给您打包票')).toBe(0);
    expect(en('sign today and i can guarantee your rate will stay the same forever')).toBe(1);
    expect(en('renew now and your premium is locked for life')).toBe(1);
    expect(en('i cant promise the premium wont change at renewal')).toBe(0);
  });

  it('blame, brush-offs and threats are banned', () => {
    expect(zh('您爱买不买 反正就这个价')).toBe(1);
    expect(zh('这都是您自己操作不当 跟我们公司没有关系')).toBe(1);
    expect(zh('你们再拖 我们就直接停机 然后报征信')).toBe(1);
    expect(en('you shouldve been home to sign for it thats not on us')).toBe(1);
    expect(en('the managers are busy so its me or nobody')).toBe(1);
    expect(en('if you dont pay today we will disconnect your supply today')).toBe(1);
    expect(en('the payment is due on friday and we can set up a plan if that helps')).toBe(0);
  });
});

describe('text detectors: round 24 (blinds 79-82: public services, couriers, education, travel)', () => {
  it('我是<company>的<role> introduces the company; someone else\'s teacher does not; an address after the greeting is no company', () => {
    expect(has([['agent', '您好 我是博雅钢琴的课程顾问 工号二一七 想跟您确认一下上课时间']], 'self_identification')).toBe(true);
    expect(has([['agent', '喂 张女士您好 我是星辰美术的班主任小林']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 孩子的班主任小王说您想改时间 是吗']], 'missing_self_identification')).toBe(true);
    expect(has([['agent', '你好先生 我是小郑啊 上次给您打过电话的']], 'missing_self_identification')).toBe(true);
    const late = run([
      ['agent', '您好 请讲'],
      ['customer', '我想问一下退费的事'],
      ['agent', '好的 您的手机号是多少'],
      ['customer', '幺三八 一二四五 六七八九'],
      ['agent', '不好意思刚才忘了说 我是明德教育的回访专员 工号三零二'],
    ]).map((e) => e.type);
    expect(late).toContain('late_self_identification');
  });

  it('工号 followed by a refusal is no staff number', () => {
    const lines = (last: string): Line[] => [['agent', '你好 华通燃气'], ['customer', '我卡插了没反应'], ['agent', '你擦一下再插'], ['customer', '你工号多少'], ['agent', last]];
    expect(has(lines('工号在系统里能查到 还有别的事吗'), 'late_self_identification')).toBe(false);
    expect(has(lines('工号是四八一 还有别的事吗'), 'late_self_identification')).toBe(true);
  });

  it('a long public-body name before "my name\'s" is the organisation; "myself <name>, i will be assisting you" introduces late', () => {
    expect(has([['agent', 'good afternoon city council parking permits and enforcement team my names owen']], 'self_identification')).toBe(true);
    const late = run([
      ['agent', 'good morning thank you for calling bharat holidays how may i help you'],
      ['customer', 'i need to change my tour date'],
      ['agent', 'sure sir may i have the booking reference'],
      ['customer', 'b h seven seven one'],
      ['agent', 'thank you sir myself arjun i will be assisting you today'],
    ]).map((e) => e.type);
    expect(late).toContain('late_self_identification');
  });

  it('court threats, booking elsewhere and 告你们 are escalations; 报警器, past complaints and a complaint about a neighbour are not', () => {
    const zh = (text: string) => count([['agent', '您好 这里是远洋快递'], ['customer', text]], 'customer_escalation');
    expect(zh('再不退钱我就去法院告你们')).toBe(1);
    expect(zh('我明天就把账号注销了 以后再也不用你们了')).toBe(1);
    expect(zh('没事 我家门口有报警器')).toBe(0);
    expect(zh('我上个月在网上提过一个投诉 想问问结果出来没有')).toBe(0);
    expect(zh('你们效率真高 你们主管电话多少 我想表扬一下')).toBe(0);
    expect(zh('以后再也不用排队了 真方便')).toBe(0);
    const en = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(en('fine then ill see you in court')).toBe(1);
    expect(en('forget it im booking somewhere else')).toBe(1);
    expect(en('thats the last time im flying with you lot')).toBe(1);
    expect(en('we filed a complaint last year about the old tutor and it got sorted')).toBe(0);
    expect(en('i want to make a complaint about my neighbour and his dog')).toBe(0);
  });
});

describe('text detectors: banned shapes from round 24 (misleading sales, pressure, blame, mockery)', () => {
  const zh = (text: string) => segmentsWith([['agent', '您好 这里是启航教育 工号2231'], ['agent', text]], 'banned_phrase');
  const en = (text: string) => segmentsWith([['agent', 'thanks for calling harbour fitness this is sam'], ['agent', text]], 'banned_phrase');

  it('a price in coins a day, guaranteed results, false scarcity and selling to a child are banned; the plain price is not', () => {
    expect(en('honestly its only like forty pence a day you wont even notice')).toBe(1);
    expect(en('its just two dollars a day thats less than a cappuccino')).toBe(1);
    expect(en('the course guarantees a fifty point increase')).toBe(1);
    expect(en('we only have three places left so you need to decide today')).toBe(1);
    expect(en('just borrow your dads card for the sign up')).toBe(1);
    expect(en('the membership is twenty nine pounds a month and you can cancel with thirty days notice')).toBe(0);
    expect(zh('您就别犹豫了 这个优惠过了今天就没了')).toBe(1);
    expect(zh('那我直接帮您报名上吧')).toBe(1);
    expect(zh('优惠到月底 您可以考虑一下再决定')).toBe(0);
  });

  it('blame and mockery are banned; saying a thing is being checked is not', () => {
    expect(zh('那是你的事 我们管不了')).toBe(1);
    expect(zh('这个怪不了司机 是您没接电话')).toBe(1);
    expect(zh('这个我暂时不太清楚 需要帮您查一下 请稍等')).toBe(0);
    expect(en('maybe try reading the description next time')).toBe(1);
    expect(en('its one late delivery i wouldnt make a big deal out of it')).toBe(1);
    expect(en('sorry about the late delivery ill log it with the depot')).toBe(0);
  });
});

describe('text detectors: round 25 (blinds 83-86, read after they were held out: banks, healthcare, utilities, retail)', () => {
  it('a role and a name without 我是 (前台小林), 我是收费员 + a full name, and the company before an English greeting introduce the agent; 客服 sorry does not', () => {
    expect(has([['agent', '您好 康宁口腔 前台小周 很高兴为您服务']], 'self_identification')).toBe(true);
    expect(has([['agent', '您好 中山医院门诊收费处 我是收费员李静 请问有什么可以帮您']], 'self_identification')).toBe(true);
    expect(has([['agent', '你好 这里是 Sunrise Care 客服 sorry 刚才线路不好 请问你要办什么']], 'missing_self_identification')).toBe(true);
    const late = run([
      ['agent', 'brightside plumbing hi there'],
      ['customer', 'hi my boiler is leaking again'],
      ['agent', 'whats the postcode'],
      ['customer', 'l s six four q t'],
      ['agent', 'thanks im dean by the way ill book an engineer'],
    ]).map((e) => e.type);
    expect(late).toContain('late_self_identification');
  });

  it('the answer to "tell me who you are" may introduce the agent late', () => {
    const types = run([
      ['agent', 'is this mark'],
      ['customer', 'who wants to know'],
      ['agent', 'you have an overdue balance'],
      ['customer', 'not until you tell me who you are'],
      ['agent', 'this is kim from northgate recoveries'],
    ]).map((e) => e.type);
    expect(types).toContain('late_self_identification');
  });

  it('路上慢点 and 下午见 close a call with thanks; 明天见面 is no farewell', () => {
    const last = (text: string): Line[] => [['agent', '您好 安居维修 工号2231'], ['customer', '好的 那就下午三点'], ['agent', text]];
    expect(has(last('好的阿姨 您周三上午过来 路上慢点 再见'), 'closing')).toBe(true);
    expect(has(last('谢谢您啊 那我们下午见'), 'closing')).toBe(true);
    expect(has(last('谢谢 师傅明天见面再说'), 'missing_closing')).toBe(true);
  });

  it('complaints made before are no escalation; a threat beside one is; a clinic moved to another site is no churn', () => {
    const en = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(en('i complained to the council last spring and they never called back')).toBe(0);
    expect(en('i did call them to complain about the fees back then but its old news')).toBe(0);
    expect(en('i complained to the council last spring and now im going to the ombudsman')).toBe(1);
    expect(en('has my appointment been moved to another clinic')).toBe(0);
    const zh = (text: string) => count([['agent', '您好 这里是安和保险'], ['customer', text]], 'customer_escalation');
    expect(zh('每次都这样 这个保险我不要了')).toBe(1);
    expect(zh('我要退保 交了四年了 想问问能退多少')).toBe(0);
  });

  it('"whatever is easier", "i don\'t know off hand, the engineer will check" and 显示得不太清楚 are not banned', () => {
    const en = (text: string) => segmentsWith([['agent', 'thanks for calling harbour appliances this is sam'], ['agent', text]], 'banned_phrase');
    expect(en('we can do it by phone or email whatever is easier for you')).toBe(0);
    expect(en('i dont know off hand which part it is but the engineer will diagnose it')).toBe(0);
    expect(en('i dont know why that keeps happening but let me put a note on the account')).toBe(0);
    expect(en('i dont know you will have to ring the shop')).toBe(1);
    const zh = (text: string) => segmentsWith([['agent', '您好 这里是安和银行 工号2231'], ['agent', text]], 'banned_phrase');
    expect(zh('这笔消费的商户名称我这边显示得不太清楚 我帮您申请调单核实一下')).toBe(0);
  });
});

describe('text detectors: round 26 (blinds 87-90, read after they were held out: motor, apps, property, telecom sales)', () => {
  it('leaving is an escalation; a routine closure, an account already closed and a past chargeback are not', () => {
    const en = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(en('thats it im cancelling my whole account with you people')).toBe(1);
    expect(en('if the bill goes up again im cancelling straight away')).toBe(1);
    expect(en('fine then ill be giving my notice at the end of the month')).toBe(1);
    expect(en('forget it ill find a flat through another agent')).toBe(1);
    expect(en('i did a chargeback last year for a different order')).toBe(0);
    expect(en('i put in a complaint with them last month actually but its fine now')).toBe(0);
    const zh = (text: string) => count([['agent', '您好 这里是星联宽带'], ['customer', text]], 'customer_escalation');
    expect(zh('麻烦帮我把账号注销一下')).toBe(0);
    expect(zh('我都已经销户了 你们怎么还打来')).toBe(0);
    expect(zh('我上周也提交过一次投诉 一直没人回 你帮我看看')).toBe(0);
  });

  it("neighbours' noise, other people's plans and what a friend said are no escalation of the caller's own", () => {
    const en = (text: string) => count([['agent', 'hello thanks for calling'], ['customer', text]], 'customer_escalation');
    expect(en('i want to make a complaint about the people next door and their music')).toBe(0);
    expect(en('the tenants are all talking about going to the council but i just want a date')).toBe(0);
    expect(en('i read some of the reviews and saw people complaining about delays')).toBe(0);
    const zh = (text: string) => count([['agent', '您好 这里是安家物业'], ['customer', text]], 'customer_escalation');
    expect(zh('我要投诉一下隔壁 天天半夜唱歌')).toBe(0);
    expect(zh('我们业主群里好多人说要去住建局 我是不想闹 就想问清楚')).toBe(0);
    expect(zh('我同事跟我说可以打一二三一五 不过我也不是要投诉')).toBe(0);
    expect(zh('再不给我修 我就打一二三一五')).toBe(1);
  });
});
