import { z } from 'zod';
import { PII_CATEGORIES } from './find.js';

/**
 * A QA program's `privacy:` block (docs/privacy.md). Defaults: find every category; keep the raw transcript
 * (shown masked to roles without the `pii` permission) except card numbers, which are never stored (PCI DSS).
 */
export const PrivacySchema = z
  .object({
    /** mask every personal-data span before anything is stored (same as `callqa analyze --redact`) */
    redact: z.boolean().default(false),
    /** categories to look for (all by default) */
    categories: z.array(z.enum(PII_CATEGORIES)).default([...PII_CATEGORIES]),
    /** the company's own numbers (hotlines, switchboard): digits only, never masked */
    companyNumbers: z.array(z.string().regex(/^\d{5,15}$/, 'digits only, 5-15 of them')).default([]),
  })
  .strict();
export type PrivacyConfig = z.infer<typeof PrivacySchema>;
export const DEFAULT_PRIVACY: PrivacyConfig = PrivacySchema.parse({});
