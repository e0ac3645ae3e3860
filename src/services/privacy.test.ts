import { describe, expect, it } from 'vitest';
import { maskMetadata, maskSpoken } from './privacy.js';

/** What an API answer shows of a transcript to a role without the pii permission (getCall's transcript). */
describe('maskSpoken', () => {
  const transcript = (segments: Array<[string, number, number, string]>) => ({
    language: 'zh', engine: 'sidecar-json', segments: segments.map(([speaker, start, end, text]) => ({ speaker, start, end, text })),
  });
  it('masks a number the customer said across two segments in both of them', () => {
    const t = transcript([['agent', 0, 2, '请问您的手机号'], ['customer', 2, 4, '我的手机号是139'], ['customer', 4.5, 6, '1234 5678 对']]);
    expect(maskSpoken(t).segments.map((s) => s.text)).toEqual(['请问您的手机号', '我的手机号是[手机号]', '[手机号] 对']);
    // the rest of each segment is as it was
    expect(maskSpoken(t).segments.map(({ speaker, start, end }) => [speaker, start, end])).toEqual([['agent', 0, 2], ['customer', 2, 4], ['customer', 4.5, 6]]);
  });
  it("keeps the company's own numbers and what is not personal data readable", () => {
    const t = transcript([['agent', 0, 2, '客服热线95588'], ['customer', 2, 4, '订单号是12345'], ['customer', 4.5, 6, '6789 对吗']]);
    expect(maskSpoken(t, { companyNumbers: ['95588'] }).segments.map((s) => s.text)).toEqual(['客服热线95588', '订单号是12345', '6789 对吗']);
  });
  it('masks a lone string under a spoken field as before', () => {
    expect(maskSpoken({ quote: '手机13912345678', id: '13912345678' })).toEqual({ quote: '手机[手机号]', id: '13912345678' });
  });
});

/** What getCall shows of a call's metadata to anyone who has not unmasked it. */
describe('maskMetadata', () => {
  // an ordinary metadata set as a platform exports it: nothing in it is personal data
  const ordinary = {
    callId: '20261130143012345678', agentId: '13800001', team: 'billing-2', direction: 'inbound', startedAt: '2026-11-30T14:30:00+08:00',
    queue: '95588-1', customerNumberMasked: '*******5678', customerId: 'CRM-4411', ringSec: 12, hungUpBy: 'customer', transfers: 1,
    campaign: 'Q4 retention 2026', ivr_path: '1-3-2', order_number: '2026113012345678', ticket: 'TK-2026-11-30-0042',
    wrapup_code: 'BILL-01', survey_score: 5, recorded_on: '2026 11 30 14:30', duration: '00:05:12', site: 'Shenzhen 2F',
    amount: '1,380,000', opened: '30/11/2026 09:15', vip: true, note: null,
  };
  it('leaves an ordinary metadata set unchanged (ids, teams, dates, codes, amounts)', () => {
    expect(maskMetadata(ordinary)).toEqual(ordinary);
  });
  it("masks a customer's phone, e-mail, ID card and address under any other field, by the field's name as a cue", () => {
    const md = maskMetadata({
      ...ordinary,
      callback_number: '5551234',
      customerPhone: '13912345678',
      'Customer-Mobile': 13912345678,
      contact_email: 'li.lei@example.com',
      id_card: '11010519491231002X',
      address: '12 Baker Street, Springfield',
      备注: '客户手机13912345678，晚上回电',
    });
    expect(md).toEqual({
      ...ordinary,
      callback_number: '[PHONE]',
      customerPhone: '[PHONE]',
      'Customer-Mobile': '[PHONE]',
      contact_email: '[EMAIL]',
      id_card: '[ID]',
      address: '[ADDRESS]',
      备注: '客户手机[手机号]，晚上回电',
    });
  });
  it("keeps the company's own numbers", () => {
    expect(maskMetadata({ dialled: '95588' , hotline_number: '4008123123' }, { companyNumbers: ['4008123123'] })).toEqual({ dialled: '95588', hotline_number: '4008123123' });
  });
});

/** Quotes of the transcript (event texts, scorecard evidence) are masked as the segments they quote are. */
describe('maskSpoken with the call segments: quotes', () => {
  const segments = [
    { speaker: 'agent', start: 0, end: 2, text: '请问您的手机号' },
    { speaker: 'customer', start: 2, end: 4, text: '我要投诉，回电139' },
    { speaker: 'customer', start: 4.5, end: 6, text: '1234 5678 对' },
  ];
  const shown = maskSpoken({ language: 'zh', engine: 'sidecar-json', segments }).segments.map((s) => s.text);
  it('the transcript view masks both halves (what the quotes must agree with)', () => {
    expect(shown).toEqual(['请问您的手机号', '我要投诉，回电[手机号]', '[手机号] 对']);
  });
  it("an event's text, a finding's evidence by segment index, by time, and a quoted part of a segment", () => {
    const events = [
      { type: 'customer_escalation', speaker: 'customer', start: 2, end: 4, details: { text: segments[1]!.text, matched: '投诉', segmentIndex: 1 } },
    ];
    const card = {
      items: [{
        id: 'apology',
        evidence: [
          { kind: 'event', type: 'customer_escalation', start: 2, end: 4, speaker: 'customer', text: segments[1]!.text, eventIndex: 0 },
          { kind: 'sentence', start: 4.5, end: 6, speaker: 'customer', text: segments[2]!.text, segmentIndex: 2 },
          { kind: 'sentence', start: 4.5, end: 6, speaker: 'customer', text: '1234 5678', segmentIndex: 2 },
        ],
      }],
    };
    // on its own, each half is no number (what the quotes showed before)
    expect(maskSpoken(events)[0]!.details.text).toBe('我要投诉，回电139');
    expect(maskSpoken({ evidence: [card.items[0]!.evidence[0]!] }).evidence[0]!.text).toBe('我要投诉，回电139');
    expect(maskSpoken(events, { segments })[0]!.details).toEqual({ text: shown[1], matched: '投诉', segmentIndex: 1 });
    expect(maskSpoken(card, { segments }).items[0]!.evidence.map((e) => e.text)).toEqual([shown[1], shown[2], '[PHONE]']);
  });
  it('an absence finding quoting several utterances, each masked as its segment', () => {
    const evidence = [
      { start: 2, end: 4, speaker: 'customer', text: segments[1]!.text },
      { start: 4.5, end: 6, speaker: 'customer', text: segments[2]!.text },
    ];
    expect(maskSpoken({ details: { text: 'missing', evidence } }, { segments }).details.evidence.map((e) => e.text)).toEqual([shown[1], shown[2]]);
  });
  it('a quote of no segment is masked on its own; a metadata field quoted as evidence as getCall shows metadata', () => {
    const card = {
      evidence: [
        { kind: 'sentence', start: 9, end: 10, speaker: 'customer', text: '手机13912345678' },
        { kind: 'metadata', start: 0, end: 0, speaker: null, field: 'callback_number', value: '5551234' },
        { kind: 'metadata', start: 0, end: 0, speaker: null, field: 'ringSec', value: 12 },
      ],
    };
    expect(maskSpoken(card, { segments }).evidence.map((e) => e.text ?? e.value)).toEqual(['手机[手机号]', '[PHONE]', 12]);
  });

  it("masks the metadata value in the evidence's note too (the scorer writes `field = value` there)", () => {
    // as src/score/rules.ts writes a metadata condition's evidence
    const ev = (field: string, value: unknown) => ({ kind: 'metadata', start: 0, end: 0, speaker: null, field, value, note: `${field} = ${String(value)}` });
    const card = { evidence: [ev('callback_number', '5551234'), ev('customer_phone', 13912345678), ev('ringSec', 12), ev('wrap_up_sec', 45)] };
    expect(maskSpoken(card, { segments }).evidence.map((e) => e.note)).toEqual([
      'callback_number = [PHONE]',
      'customer_phone = [PHONE]',
      'ringSec = 12',
      'wrap_up_sec = 45',
    ]);
  });
});
