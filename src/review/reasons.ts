/**
 * Why an inspector overrode the machine: the reason codes of a decision, and the decideItem request body.
 * One list for the workflow (decisions.ts), the database column (store/schema.ts), the API's schemas and the
 * inspector UI's override form (web/src/components/scorecard.tsx imports this file). Pure: no imports.
 */
export const REASON_CODES = ['wrong_score', 'wrong_evidence', 'missing_evidence', 'other'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** What an inspector decides about one item (the decideItem request body, docs/api.md). */
export interface DecisionInput {
  itemId: string;
  action: 'confirm' | 'override';
  points?: number;
  reason?: { code: ReasonCode; comment?: string };
}
