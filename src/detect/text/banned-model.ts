import { parseUtteranceModel, type UtteranceModel } from './utterance-model.js';
import { BANNED_MODEL_DATA } from './banned-model-weights.js';

/**
 * A second opinion on 服务禁语 beside the phrase lists: a logistic-regression classifier over the n-grams of one agent
 * utterance (Chinese characters 1-3, English words 1-3), trained on every labelled dialogue set in
 * test/fixtures (`npm run train:banned`, test/tools/train-utterance-model.ts; the model itself in utterance-model.ts). The phrase lists find the wording
 * someone wrote down; each new writer's rude, shirking or mis-selling agents use wording no list has yet (issue 16:
 * banned-phrase recall 0.29-0.63 on first sight of a new set), and the classifier generalises from the shapes
 * such lines share (你-forms and 呗/吧, "yourself", "honestly … never notice", 自己…去). Measured leave-one-set-out
 * in docs/lexicons.md.
 */

let shipped: UtteranceModel | undefined;
/** The shipped model (parsed once per process). */
export function bannedModel(): UtteranceModel {
  return (shipped ??= parseUtteranceModel(BANNED_MODEL_DATA));
}
