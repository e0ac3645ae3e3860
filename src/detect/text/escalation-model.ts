import { parseUtteranceModel, type UtteranceModel } from './utterance-model.js';
import { ESCALATION_MODEL_DATA } from './escalation-model-weights.js';

/**
 * A second opinion on customer escalation beside the phrase lists: the utterance classifier (utterance-model.ts)
 * trained on every labelled customer utterance of the dialogue sets (`npm run train:escalation`). Customers threaten
 * in endless wording (taking their business to a named rival, the regulator of their trade, a post on the platform
 * they use); the lists hold the shapes someone wrote down, the classifier generalises from what such lines share.
 * Measured leave-one-set-out in docs/lexicons.md.
 */
let shipped: UtteranceModel | undefined;
/** The shipped model (parsed once per process). */
export function escalationModel(): UtteranceModel {
  return (shipped ??= parseUtteranceModel(ESCALATION_MODEL_DATA));
}
