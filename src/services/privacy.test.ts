import { describe, expect, it } from 'vitest';
import { maskSpoken } from './privacy.js';

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
