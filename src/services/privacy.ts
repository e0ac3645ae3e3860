/**
 * Who may see personal data in the API, and masking text on its way out. Stored text may hold personal data
 * (unless the program redacts); every API answer masks it, and only a user whose role carries the `pii`
 * permission may ask for the raw text (`unmask=true`), which is written to the audit log.
 */
import { findPii, maskText } from '../privacy/find.js';
import type { AuthUser } from './types.js';

/** Roles with the `pii` permission by default: the QA staff who must verify what was said. Agents lack it. */
export const PII_ROLES: ReadonlySet<AuthUser['role']> = new Set(['inspector', 'supervisor', 'admin']);

export function hasPiiPermission(user: AuthUser): boolean {
  return PII_ROLES.has(user.role);
}

/** The text with every personal-data span replaced by its label. */
export function maskPii(text: string): string {
  const spans = findPii(text);
  return spans.length ? maskText(text, spans) : text;
}
