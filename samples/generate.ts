/**
 * Regenerates the shipped sample calls: `npm run samples`.
 *
 * Each call is a script of lines placed one after another (pauses, interruptions, backchannels, hold, dead air
 * are written into the script), rendered by test/support/callgen.ts, and written next to its ground truth
 * (<name>.truth.json) and a sidecar transcript (<name>.transcript.json) made from the script's text at the placed
 * times. Mandarin lines follow the standard phrases of the Guiyang call-centre service standard (开篇语, 等待用语,
 * 结束语); English agents say the prompts of a real human voice (asterisk's Allison) or espeak-ng.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CODEC_EXT,
  buildCall,
  prepareSource,
  transcriptSidecar,
  type CallSpeaker,
  type CallSpec,
  type Codec,
  type Impairments,
  type Source,
  type Turn,
} from '../test/support/callgen.js';

const OUT_DIR = path.dirname(fileURLToPath(import.meta.url));
const SR = 8000;

type Say = string | Source;
/** One line of a script. By default it starts `gap` seconds after the previous main line's speech ends. */
type Line =
  | {
      who: 'A' | 'C';
      say: Say;
      /** pause before it (default 0.7 s) */
      gap?: number;
      /** starts this many seconds BEFORE the previous line's speech ends (an interruption) */
      overlap?: number;
      /** a backchannel: starts at this fraction (0..1) of the previous line's speech; does not advance the script */
      during?: number;
      text?: string;
    }
  | { hold: 'moh' | 'tone'; sec: number; gap?: number };

interface Script {
  name: string;
  language: 'zh' | 'en';
  title: string;
  voices: { A: (text: string) => Source; C: (text: string) => Source };
  lines: Line[];
  impairments: Impairments;
  codec: Codec;
  bitrateKbps?: number;
  /** silence left after the last line */
  tailSec?: number;
  seed: number;
}

const espeak = (voice: string, pitch: number, speed: number) => (text: string): Source => ({ kind: 'espeak', voice, text, pitch, speed });
const allison = (prompt: string): Source => ({ kind: 'asterisk', voice: 'en', prompt });

async function place(script: Script): Promise<CallSpec> {
  const turns: Turn[] = [];
  let cursor = 0.4; // the previous main line's speech end
  let prevStart = 0;
  let first = true;
  for (const line of script.lines) {
    if ('hold' in line) {
      const at = cursor + (line.gap ?? 0.8);
      const source: Source =
        line.hold === 'moh'
          ? { kind: 'moh', file: 'manolo_camp-morning_coffee.wav', durationSec: line.sec, offsetSec: 5 }
          : { kind: 'tone', freqHz: [440, 480], onSec: 1, offSec: 0.5, durationSec: line.sec };
      turns.push({ speaker: 'agent', at, source });
      cursor = at + line.sec;
      prevStart = at;
      continue;
    }
    const speaker: CallSpeaker = line.who === 'A' ? 'agent' : 'customer';
    const source = typeof line.say === 'string' ? script.voices[line.who](line.say) : line.say;
    const prepared = await prepareSource(source, SR);
    const sStart = prepared.speech[0]?.start ?? 0;
    const sEnd = prepared.speech.at(-1)?.end ?? prepared.durationSec;
    let speechAt: number;
    if (line.during !== undefined) speechAt = prevStart + line.during * (cursor - prevStart);
    else if (line.overlap !== undefined) speechAt = cursor - line.overlap;
    else speechAt = first ? cursor : cursor + (line.gap ?? 0.7);
    first = false;
    const at = Math.max(0, speechAt - sStart);
    turns.push({ speaker, at, source, ...(line.text ? { text: line.text } : {}) });
    if (line.during === undefined) {
      prevStart = at + sStart;
      cursor = Math.max(cursor, at + sEnd);
    }
  }
  const durationSec = Math.ceil(cursor + (script.tailSec ?? 1.5));
  return { durationSec, turns, seed: script.seed, impairments: { ...script.impairments, codec: script.codec, bitrateKbps: script.bitrateKbps, sampleRate: SR } };
}

// Voices: Mandarin agent higher-pitched and a little faster than the customer.
const zhAgent = espeak('cmn', 62, 175);
const zhCustomer = espeak('cmn', 30, 165);

export const SCRIPTS: Script[] = [
  {
    name: 'zh-billing-good',
    language: 'zh',
    title: 'Mandarin billing query: standard greeting, fillers, backchannels, announced hold with MOH, thanks after hold, standard closing',
    voices: { A: zhAgent, C: zhCustomer },
    seed: 101,
    codec: 'opus',
    bitrateKbps: 12,
    impairments: { noiseDb: { agent: -58, customer: -50 }, gainDb: { agent: 0, customer: -6 } },
    lines: [
      { who: 'A', say: '女士您好！我是东方有线网络公司1234号业务受理专员，很高兴为您服务，请问有什么可以帮您？' },
      { who: 'C', say: '你好，嗯，那个，我想问一下我这个月的账单。' },
      { who: 'A', say: '好的，请您提供一下您的手机号码。' },
      { who: 'C', say: '一三八，一二三四，五六七八。' },
      { who: 'A', say: '我看到您这个月除了月租以外，还有一笔宽带升级的费用，是上个月十五号办理的。', gap: 1.2 },
      { who: 'C', say: '嗯', during: 0.45 },
      { who: 'C', say: '啊，可是我没有办理过升级啊，这个费用是怎么回事？' },
      { who: 'A', say: '女士，请您稍等，我帮您核实一下好吗？' },
      { who: 'C', say: '好的。', gap: 0.5 },
      { hold: 'moh', sec: 28, gap: 1.0 },
      { who: 'A', say: '女士，感谢您的耐心等待。', gap: 0.8 },
      { who: 'A', say: '经过核实，这笔升级是系统误操作，我已经帮您申请退还这笔费用，三个工作日内到账。', gap: 0.4 },
      { who: 'C', say: '对', during: 0.5 },
      { who: 'C', say: '那太好了，谢谢你。', gap: 0.9 },
      { who: 'A', say: '不客气，这是我们应该做的。请问还有其他可以帮您的吗？' },
      { who: 'C', say: '没有了。' },
      { who: 'A', say: '感谢您的来电，祝您愉快，再见！' },
    ],
  },
  {
    name: 'zh-complaint-bad',
    language: 'zh',
    title:
      'Mandarin complaint: no greeting, the agent interrupts, banned phrase 这个我不清楚, dead air, hold over 60 s WITHOUT asking, no apology, 投诉, no closing',
    voices: { A: espeak('cmn', 45, 185), C: espeak('cmn', 20, 175) },
    seed: 102,
    codec: 'opus',
    bitrateKbps: 12,
    impairments: {
      noiseDb: { agent: -48, customer: -44 },
      crosstalk: { db: -26, delayMs: 2 },
      echo: { db: -24, delayMs: 120 },
      babble: { db: -20, voices: 3 },
    },
    lines: [
      { who: 'A', say: '喂，说吧。' },
      { who: 'C', say: '我家的宽带已经断了三天了，我打了好几次电话，每次都说会有人联系我，到现在都没有人来修，你们到底怎么回事？', gap: 1.0 },
      { who: 'A', say: '这个我不清楚，你要找维修部门。', overlap: 1.8 },
      { who: 'C', say: '我就是找不到维修部门才打给你们的！' },
      { who: 'A', say: '那个，啊，我看看。', gap: 8.5 },
      { hold: 'tone', sec: 66, gap: 0.6 },
      { who: 'A', say: '系统里没有你的工单。', gap: 0.9 },
      { who: 'C', say: '我要投诉！把你们主管叫过来，我要投诉你们！' },
      { who: 'A', say: '主管现在不在。', overlap: 1.2 },
      { who: 'C', say: '你们这是什么服务态度！', gap: 0.4 },
      { who: 'A', say: '还有别的事吗？', gap: 2.0 },
    ],
  },
  {
    name: 'en-support-good',
    language: 'en',
    title: 'English support call: proper greeting, customer fillers and backchannels, announced hold with MOH, thanks after hold, proper closing',
    voices: { A: espeak('en-gb', 55, 165), C: espeak('en-us', 32, 160) },
    seed: 103,
    codec: 'mp3-16k',
    impairments: { noiseDb: { agent: -60, customer: -52 } },
    lines: [
      { who: 'A', say: 'Thank you for calling Acme, this is Sam, how can I help?' },
      { who: 'C', say: 'Hi, um, my internet keeps dropping every evening, uh, around eight o clock.' },
      { who: 'A', say: 'I am sorry to hear that. Let me check the line for you, can I have your account number please?' },
      { who: 'C', say: 'Sure, it is four four seven, two one nine.' },
      { who: 'A', say: 'Thank you. I can see several disconnections on your line this week, they all happen in the evening when the network is busiest.', gap: 1.4 },
      { who: 'C', say: 'mm-hmm', during: 0.35 },
      { who: 'C', say: 'okay', during: 0.75 },
      { who: 'A', say: 'Could you hold for a moment please, while I run a test?', gap: 0.6 },
      { who: 'C', say: 'Sure.', gap: 0.4 },
      { hold: 'moh', sec: 24, gap: 1.0 },
      { who: 'A', say: 'Thank you for waiting. The test found a fault at the cabinet, an engineer will fix it tomorrow morning.', gap: 0.6 },
      { who: 'C', say: 'Great, thanks.' },
      { who: 'A', say: 'Is there anything else I can help you with today?' },
      { who: 'C', say: 'No, that is everything.' },
      { who: 'A', say: 'Thanks for calling Acme, goodbye.' },
    ],
  },
  {
    name: 'en-escalation-real-voice',
    language: 'en',
    title:
      'English escalation, agent is a real human voice (asterisk Allison): bare "Hello." with no company or name, customer asks for a supervisor, agent apologises, hold with MOH, dead air, customer backchannel',
    voices: { A: (t) => ({ kind: 'espeak', voice: 'en-us', text: t }), C: espeak('en-us-nyc', 25, 170) },
    seed: 104,
    codec: 'opus',
    bitrateKbps: 12,
    impairments: { noiseDb: { agent: -55, customer: -46 }, gainDb: { agent: 0, customer: -16 }, agcPumping: true },
    lines: [
      { who: 'A', say: allison('hello'), text: 'Hello.' },
      { who: 'C', say: 'Yes, hi. My order was supposed to arrive last week and it still has not come, and nobody answers my emails.', gap: 0.8 },
      { who: 'A', say: allison('im-sorry'), text: "I'm sorry.", gap: 0.3 },
      { who: 'C', say: 'I want to speak to a supervisor, right now.', gap: 0.5 },
      { who: 'A', say: allison('one-moment-please'), text: 'One moment, please.' },
      { hold: 'moh', sec: 32, gap: 0.8 },
      { who: 'A', say: allison('queue-thankyou'), text: 'Thank you for your patience', gap: 0.7 },
      { who: 'A', say: allison('pls-hold-while-try'), text: 'Please hold while we try to connect you.', gap: 0.4 },
      { who: 'C', say: 'okay', during: 0.6 },
      { who: 'C', say: 'Fine. I will wait.', gap: 7.2 },
      { who: 'A', say: allison('auth-thankyou'), text: 'Thank you.' },
      { who: 'A', say: allison('goodbye'), text: 'Goodbye!', gap: 0.5 },
    ],
  },
  {
    name: 'en-billing-bad',
    language: 'en',
    title:
      "English billing complaint: greeting without company name, banned phrase \"that's not my problem\", the agent talks over the customer, supervisor request, no apology, dead air, abrupt closing; quiet customer line, babble at the agent's desk",
    voices: { A: espeak('en-us-nyc', 40, 180), C: espeak('en-gb-scotland', 60, 160) },
    seed: 105,
    codec: 'opus',
    bitrateKbps: 12,
    impairments: { noiseDb: { agent: -50, customer: -56 }, gainDb: { agent: 0, customer: -18 }, babble: { db: -18, voices: 4 }, crosstalk: { db: -28, delayMs: 1 } },
    lines: [
      { who: 'A', say: 'Yeah, billing.' },
      { who: 'C', say: 'Hello, I want to make a complaint. I have been charged twice for the same month, and the second payment left my account overdrawn.', gap: 1.1 },
      { who: 'A', say: "Well, that's not my problem, you will have to call your bank.", overlap: 2.2 },
      { who: 'C', say: 'Excuse me? You took the money twice. I want to speak to a supervisor.' },
      { who: 'A', say: 'Um, hang on.', gap: 1.5 },
      { who: 'A', say: 'There is no supervisor here today. I can raise a ticket.', gap: 6.5 },
      { who: 'C', say: 'Then raise it. And I want the second payment refunded today, not next month, because my rent is due on Friday.', overlap: 0.8 },
      { who: 'A', say: 'Refunds take five to ten working days, there is nothing I can do about that.', gap: 0.9 },
      { who: 'C', say: 'That is ridiculous. This is the third time this year you have made a mistake with my bill, and every time I have to chase you for weeks.' },
      { who: 'A', say: 'Okay, okay, I have put a note on the account.', overlap: 1.6 },
      { who: 'C', say: 'What is the ticket number?', gap: 0.8 },
      { who: 'A', say: 'Uh, it is seven seven three four one.', gap: 2.5 },
      { who: 'C', say: 'Seven seven three four one. Right.' },
      { who: 'A', say: 'Fine. Bye.', gap: 1.2 },
    ],
    tailSec: 1,
  },
];

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const script of SCRIPTS) {
    const spec = await place(script);
    const file = path.join(OUT_DIR, `${script.name}.${CODEC_EXT[script.codec]}`);
    const truth = await buildCall(spec, file);
    const withTitle = { title: script.title, language: script.language, ...truth };
    writeFileSync(path.join(OUT_DIR, `${script.name}.truth.json`), `${JSON.stringify(withTitle, null, 1)}\n`);
    writeFileSync(path.join(OUT_DIR, `${script.name}.transcript.json`), `${JSON.stringify(transcriptSidecar(truth, script.language), null, 1)}\n`);
    const n = (xs: unknown[]) => xs.length;
    console.log(
      `${path.basename(file)}  ${truth.durationSec}s  silence ${n(truth.silence)}  talk-over ${n(truth.talkOver)}  backchannels ${n(truth.backchannels)}  hold ${truth.hold.map((h) => `${(h.end - h.start).toFixed(0)}s`).join(',') || '-'}`,
    );
  }
}

await main();
