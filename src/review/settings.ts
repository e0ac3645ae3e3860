import { z } from 'zod';

/**
 * A QA program's dispute settings (pipelines/<id>.yaml, `review.disputes`). Defaults follow the seeds:
 * 001 质检日常考核标准 五、质检评分异议 — a dispute is accepted only on the day the result is reported
 * (在质检日报反馈后当天内; 逾期提交的评分异议不予受理).
 */
export const DISPUTE_WINDOW_PATTERN = /^(same-day|\d+(?:\.\d+)?[hd])$/;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const DisputeSettingsSchema = z
  .object({
    /** 'same-day' (the calendar day the result reached the agent, in `timezone`), or a span: '24h', '2d' */
    window: z.string().regex(DISPUTE_WINDOW_PATTERN, 'window: "same-day" or a span like "24h" or "2d"').default('same-day'),
    /** IANA time zone whose calendar day 'same-day' means (default: the server's time zone) */
    timezone: z.string().refine(validTimeZone, 'timezone: not an IANA time zone (e.g. Asia/Shanghai)').optional(),
    /** how many items of one review an agent may dispute */
    limit: z.number().int().min(0).default(3),
  })
  .strict();
export type DisputeSettingsInput = z.input<typeof DisputeSettingsSchema>;

export type DisputeWindow = { kind: 'same_day'; timeZone: string } | { kind: 'span'; hours: number };

export interface ReviewSettings {
  disputeWindow: DisputeWindow;
  disputeLimit: number;
}

/** The settings in force for a program's `review.disputes`; `serverTimeZone` is used when it names none. */
export function reviewSettings(raw: unknown, serverTimeZone: string): ReviewSettings {
  const s = DisputeSettingsSchema.parse(raw ?? {});
  const tz = s.timezone ?? serverTimeZone;
  let disputeWindow: DisputeWindow;
  if (s.window === 'same-day') disputeWindow = { kind: 'same_day', timeZone: tz };
  else {
    const n = Number.parseFloat(s.window);
    disputeWindow = { kind: 'span', hours: s.window.endsWith('d') ? n * 24 : n };
  }
  return { disputeWindow, disputeLimit: s.limit };
}

export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
