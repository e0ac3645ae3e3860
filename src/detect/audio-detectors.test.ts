import { describe, expect, it } from 'vitest';
import type { SpeechTimeline, TimeSpan } from '../core/types.js';
import { detectHold } from './hold.js';
import { detectSilence } from './silence.js';
import { talkMetrics } from './talk-metrics.js';
import { detectTalkOver } from './talk-over.js';

const P = { deadAirMinSec: 5, talkOverMinSec: 0.5, backchannelMaxSec: 1.2, turnMergeGapSec: 0.7 };
const s = (start: number, end: number): TimeSpan => ({ start, end });
function call(agent: TimeSpan[], customer: TimeSpan[], hold: TimeSpan[] = [], durationSec = 60): SpeechTimeline {
  return { durationSec, channels: [{ speaker: 'agent', speech: agent }, { speaker: 'customer', speech: customer }], hold };
}

describe('detectSilence (dead air)', () => {
  const cases: { name: string; tl: SpeechTimeline; want: [number, number][] }[] = [
    { name: 'a 6 s gap between turns', tl: call([s(0, 5)], [s(11, 15)]), want: [[5, 11]] },
    { name: 'natural pauses of 2-4 s are not dead air', tl: call([s(0, 5), s(12, 14)], [s(7, 10), s(17, 20)]), want: [] },
    { name: 'exactly the threshold counts', tl: call([s(0, 5)], [s(10, 12)]), want: [[5, 10]] },
    { name: 'hold is never dead air', tl: call([s(0, 5), s(40, 45)], [s(46, 48)], [s(6, 39)]), want: [] },
    { name: 'leading/trailing silence is not dead air', tl: call([s(10, 15)], [s(16, 20)], [], 60), want: [] },
    { name: 'silence on both sides between holds and speech', tl: call([s(0, 5), s(30, 35)], [], [s(12, 24)]), want: [[5, 12], [24, 30]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ev = detectSilence(c.tl, P);
      expect(ev.map((e) => [e.start, e.end])).toEqual(c.want);
      for (const e of ev) expect(e.type === 'silence' && e.details.durationSec).toBeCloseTo(e.end - e.start, 2);
    });
  }
  it('names who spoke last before the silence', () => {
    const [e] = detectSilence(call([s(0, 5)], [s(11, 15)]), P);
    expect(e.type === 'silence' && e.details.after).toBe('agent');
  });
});

describe('detectTalkOver', () => {
  it('the customer cutting into the agent is talk-over by the customer, with the overlap length', () => {
    const ev = detectTalkOver(call([s(0, 8)], [s(6, 12)]), P)!;
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ type: 'talk_over', speaker: 'customer', start: 6, end: 8 });
    expect(ev[0].details).toMatchObject({ overlapSec: 2, interrupted: 'agent' });
  });
  it('the agent cutting in is the agent', () => {
    const ev = detectTalkOver(call([s(3, 9)], [s(0, 4)]), P)!;
    expect(ev.map((e) => [e.type, e.speaker])).toEqual([['talk_over', 'agent']]);
  });
  it('an overlap shorter than the minimum is not talk-over', () => {
    expect(detectTalkOver(call([s(0, 5)], [s(4.7, 9)]), P)).toEqual([]);
  });
  it('a short "mm"/"对" inside the other side\'s turn is a backchannel, not an interruption', () => {
    const ev = detectTalkOver(call([s(0, 10)], [s(4, 4.6), s(7, 7.8)]), P)!;
    expect(ev.map((e) => e.type)).toEqual(['backchannel', 'backchannel']);
    expect(ev.every((e) => e.speaker === 'customer')).toBe(true);
  });
  it('two quick acknowledgements in a row ("mm … yes") inside the other\'s turn are a backchannel; a sentence split at a short pause is not', () => {
    // 0.6 s + 1.0 s, 0.55 s apart: one turn of 2.15 s, each part a backchannel
    expect(detectTalkOver(call([s(0, 10)], [s(4, 4.6), s(5.15, 6.15)]), P)!.map((e) => e.type)).toEqual(['backchannel']);
    // the same length as one sentence with a 0.3 s pause between its words: talk-over
    expect(detectTalkOver(call([s(0, 10)], [s(4, 4.9), s(5.2, 6.15)]), P)!.map((e) => e.type)).toEqual(['talk_over']);
    // three parts over 2.4 s: talk-over
    expect(detectTalkOver(call([s(0, 10)], [s(4, 4.8), s(5.3, 6.1), s(6.6, 7.3)]), P)!.map((e) => e.type)).toEqual(['talk_over']);
  });
  it('two acknowledgements whose turn measures 2.4000000000000004 s (frame arithmetic) are still a backchannel', () => {
    expect(detectTalkOver(call([s(0, 20)], [s(10, 11.0), s(11.5, 12.4)]), P)!.map((e) => e.type)).toEqual(['backchannel']);
  });
  it('a long utterance inside the other\'s turn is talk-over', () => {
    const ev = detectTalkOver(call([s(0, 10)], [s(3, 6)]), P)!;
    expect(ev.map((e) => e.type)).toEqual(['talk_over']);
  });
  it('short pauses inside a turn do not split it (who started second is judged on turns)', () => {
    // agent turn 0-10 with a 0.5 s pause; customer starts at 5.2 during the pause and runs on
    const ev = detectTalkOver(call([s(0, 5), s(5.5, 10)], [s(5.2, 12)]), P)!;
    expect(ev).toHaveLength(1);
    expect(ev[0].speaker).toBe('customer');
  });
  it('the first speaker\'s short replies after the other took the floor are backchannels, not overlap', () => {
    // customer talks 0-2.2, agent takes over at 1.9 and talks to 6; the customer's "mm" at 2.6 and "yes" at
    // 3.5 (pauses under the turn gap) would otherwise glue onto the customer's turn
    expect(detectTalkOver(call([s(1.9, 6)], [s(0, 2.2), s(2.6, 3.1), s(3.5, 4.0)]), P)!.filter((e) => e.type === 'talk_over')).toEqual([]);
    // a long reply is still a fight for the floor
    expect(detectTalkOver(call([s(1.9, 6)], [s(0, 2.2), s(2.6, 4.6)]), P)!.filter((e) => e.type === 'talk_over')).toHaveLength(1);
  });
  it('a first speaker who talks on in short pieces (a sentence split at its pauses) is talked over, not backchanneling', () => {
    // from a DTX line: the agent's sentence runs 96.6-102.7 in pieces; the customer cuts in at 99.9 and talks to 104.4
    const agent = [s(96.62, 96.78), s(97.36, 98.3), s(98.7, 99.14), s(99.42, 100.22), s(100.64, 100.84), s(101.5, 102.66)];
    const ev = detectTalkOver(call(agent, [s(99.88, 104.42)]), P)!.filter((e) => e.type === 'talk_over');
    expect(ev).toHaveLength(1);
    expect(ev[0].speaker).toBe('customer');
    expect(ev[0].details.overlapSec).toBeCloseTo(0.34 + 0.2 + 1.16, 2);
  });
  it('the first speaker\'s words going on after a short pause (under 0.4 s) as the other cuts in are overlap, not a reply', () => {
    // the agent pauses 0.3 s mid-sentence (32.52-32.82) just as the customer starts (32.58), then says 1.0 s more
    const ev = detectTalkOver(call([s(29.84, 32.52), s(32.82, 33.84)], [s(32.58, 37.56)]), P)!.filter((e) => e.type === 'talk_over');
    expect(ev).toHaveLength(1);
    expect(ev[0].speaker).toBe('customer');
    // after a real pause (0.6 s) the same 1.0 s is a reply to the new speaker
    expect(detectTalkOver(call([s(29.84, 32.52), s(33.12, 34.14)], [s(32.58, 37.56)]), P)!.filter((e) => e.type === 'talk_over')).toEqual([]);
  });
  it('a room\'s decaying tail after the last syllable is not speech to talk over, nor does it lengthen a backchannel', () => {
    // the customer stops at 4.0 and the room rings on to 4.6; the agent starts at 3.9
    const ringing = call([s(3.9, 9)], [s(0, 4.6)]);
    expect(detectTalkOver(ringing, P)!.filter((e) => e.type === 'talk_over')).toHaveLength(1);
    ringing.channels[1].tails = [s(4.1, 4.6)];
    expect(detectTalkOver(ringing, P)!.filter((e) => e.type === 'talk_over')).toEqual([]);
    // "yes" 1.0 s long, 1.5 s with the room's tail, inside the agent's turn: a backchannel
    const ack = call([s(0, 10)], [s(4, 5.5)]);
    expect(detectTalkOver(ack, P)!.map((e) => e.type)).toEqual(['talk_over']);
    ack.channels[1].tails = [s(5.05, 5.5)];
    expect(detectTalkOver(ack, P)!.map((e) => e.type)).toEqual(['backchannel']);
    // speech that goes on over the other side (no tail marked) is still talk-over
    const real = call([s(3.9, 9)], [s(0, 4.6)]);
    real.channels[1].tails = [s(4.5, 4.6)];
    expect(detectTalkOver(real, P)!.filter((e) => e.type === 'talk_over')).toHaveLength(1);
  });
  it('mono: not measurable (null), not zero', () => {
    const tl: SpeechTimeline = { durationSec: 10, channels: [{ speaker: 'unknown', speech: [s(0, 5)] }], hold: [] };
    expect(detectTalkOver(tl, P)).toBeNull();
  });
});

describe('detectHold and talkMetrics', () => {
  it('hold events carry duration and whether the customer spoke', () => {
    const ev = detectHold(call([s(0, 5)], [s(20, 21)], [s(6, 36)]));
    expect(ev).toEqual([{ type: 'hold', speaker: 'agent', start: 6, end: 36, details: { durationSec: 30, customerSpokeSec: 1 } }]);
  });
  it('talk ratio, longest monologue, time to first agent speech', () => {
    const m = talkMetrics(call([s(2, 10), s(10.5, 20)], [s(21, 26)], [], 30), 0.7);
    expect(m.agentTalkSec).toBeCloseTo(17.5);
    expect(m.customerTalkSec).toBeCloseTo(5);
    expect(m.talkRatio).toBeCloseTo(17.5 / 22.5, 2);
    expect(m.longestMonologueSec).toBeCloseTo(18);
    expect(m.longestMonologueBy).toBe('agent');
    expect(m.timeToFirstAgentSpeechSec).toBe(2);
  });
  it('mono has no talk ratio', () => {
    const m = talkMetrics({ durationSec: 10, channels: [{ speaker: 'unknown', speech: [s(0, 5)] }], hold: [] }, 0.7);
    expect(m.talkRatio).toBeNull();
    expect(m.speechSec).toBe(5);
  });
});
