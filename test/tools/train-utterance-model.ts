/**
 * `npm run train:banned` / `npm run train:escalation`: trains an utterance classifier (src/detect/text/utterance-model.ts)
 * on every labelled dialogue set in test/fixtures (dialogues, dialogues-blind*) and writes its weights to
 * src/detect/text/<target>-model-weights.ts. Deterministic: the same fixtures give the same weights.
 *
 * Targets: `banned` — each agent utterance, positive when a label `banned_phrase` points at it, and every exception of
 * the banned lexicon (a look-alike judged allowed) negative; `escalation` — each customer utterance, positive when a
 * label `customer_escalation` points at it, and every exception of the escalation lexicon and every phrase of its kinds
 * that never escalate (neutral, resolved, declined, third, reason, past: "it's not a complaint", 上次投诉已经解决了) negative.
 * Model: logistic regression over utteranceFeatures (character and word n-grams), stochastic gradient descent in a
 * seeded order, positives weighted up to a third of the class ratio, L2 decay; the strongest features kept.
 *
 *   --target banned|escalation   which classifier (default banned)
 *   --holdout 65,66   leave these sets out of training and print the classifier's precision and recall on them
 *                     (what a writer it never saw gets); the weights written are then that model's
 *   --cv 59,60,...    leave-one-set-out: for each set, train on all the others and print its precision/recall
 *   --out FILE        where to write the weights (default src/detect/text/<target>-model-weights.ts)
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probabilityOf, utteranceFeatures } from '../../src/detect/text/utterance-model.js';
import { expandAlternatives } from '../../src/lexicon/alternatives.js';
import { loadLexicons } from '../../src/lexicon/loader.js';
import { loadDialogues } from '../support/text-eval.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const EPOCHS = 8;
const RATE = 0.2;
const DECAY = 1e-4;
const KEEP = 20_000;
const EXCEPTION_WEIGHT = 3;
export const THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9];

interface Example {
  set: string;
  feats: string[];
  y: 0 | 1;
}

interface Target {
  category: 'banned' | 'escalation';
  label: string;
  speaker: 'agent' | 'customer';
  /** lexicon kinds whose phrases are negatives too (besides every entry's exceptions) */
  negativeKinds: readonly string[];
  constName: string;
  file: string;
}
const TARGETS: Record<string, Target> = {
  banned: { category: 'banned', label: 'banned_phrase', speaker: 'agent', negativeKinds: [], constName: 'BANNED_MODEL_DATA', file: 'banned-model-weights.ts' },
  escalation: {
    category: 'escalation',
    label: 'customer_escalation',
    speaker: 'customer',
    negativeKinds: ['neutral', 'resolved', 'declined', 'third', 'reason', 'past'],
    constName: 'ESCALATION_MODEL_DATA',
    file: 'escalation-model-weights.ts',
  },
};

function examples(t: Target): Example[] {
  const out: Example[] = [];
  // the banned lexicon's exceptions are look-alikes someone judged allowed ("whatever you need", "it's not your fault",
  // 喂食, 您可以自己去营业厅办理): negatives, so the classifier does not undo what the phrase lists settled
  const lex = loadLexicons(join(ROOT, 'lexicons'));
  // (each three times: one short phrase against the many utterances that carry its n-grams)
  for (const e of lex.entries) {
    if (e.category !== t.category) continue;
    const negatives = [...(e.exceptions ?? []), ...(t.negativeKinds.includes(e.kind ?? '') ? e.phrases : [])].flatMap((x) => expandAlternatives(x));
    for (const x of negatives) for (let k = 0; k < EXCEPTION_WEIGHT; k++) out.push({ set: 'lexicon', feats: utteranceFeatures(x), y: 0 });
  }
  for (const folder of readdirSync(FIXTURES).filter((f) => /^dialogues(-blind\d*)?$/.test(f)).sort()) {
    const set = folder === 'dialogues' ? 'authored' : folder.replace('dialogues-blind', '') || '1';
    for (const d of loadDialogues(join(FIXTURES, folder))) {
      const positive = new Set(d.expected.filter((x) => x.type === t.label).map((x) => x.seg));
      d.segments.forEach((s, i) => {
        if (s.speaker === t.speaker) out.push({ set, feats: utteranceFeatures(s.text), y: positive.has(i) ? 1 : 0 });
      });
    }
  }
  return out;
}

/** mulberry32: a small seeded generator, so training is repeatable */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function train(data: readonly Example[]): { bias: number; weights: Map<string, number> } {
  const w = new Map<string, number>();
  let bias = -2;
  const pos = data.filter((e) => e.y).length;
  const posWeight = (data.length - pos) / Math.max(1, pos) / 3;
  const rand = rng(16);
  const order = data.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const e = data[k];
      let z = bias;
      for (const f of e.feats) z += w.get(f) ?? 0;
      const p = 1 / (1 + Math.exp(-z));
      const g = ((p - e.y) * (e.y ? posWeight : 1) * RATE) / Math.sqrt(Math.max(1, e.feats.length));
      for (const f of e.feats) {
        const v = w.get(f) ?? 0;
        w.set(f, v - g - DECAY * v);
      }
      bias -= g * 0.1;
    }
  }
  const kept = [...w].filter(([, v]) => Math.abs(v) >= 1e-3).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, KEEP);
  return { bias, weights: new Map(kept.map(([f, v]) => [f, Math.round(v * 1000) / 1000])) };
}

function report(t: Target, name: string, m: { bias: number; weights: Map<string, number> }, test: readonly Example[]): void {
  const cells = THRESHOLDS.map((t) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const e of test) {
      const hit = probabilityOf(m, e.feats) >= t;
      if (hit && e.y) tp++;
      else if (hit) fp++;
      else if (e.y) fn++;
    }
    return `${t}: P=${(tp / Math.max(1, tp + fp)).toFixed(2)} R=${(tp / Math.max(1, tp + fn)).toFixed(2)}`;
  });
  console.log(`${name} (${test.filter((e) => e.y).length} positive of ${test.length} ${t.speaker} utterances)  ${cells.join('  ')}`);
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const target = TARGETS[opt('--target') ?? 'banned'];
  if (!target) throw new Error(`--target: one of ${Object.keys(TARGETS).join(', ')}`);
  const all = examples(target);
  const cv = opt('--cv')?.split(',');
  if (cv) {
    for (const s of cv) report(target, `set ${s} (trained without it)`, train(all.filter((e) => e.set !== s)), all.filter((e) => e.set === s));
    return;
  }
  const holdout = new Set(opt('--holdout')?.split(',') ?? []);
  const data = all.filter((e) => !holdout.has(e.set));
  const model = train(data);
  for (const s of holdout) report(target, `held-out set ${s}`, model, all.filter((e) => e.set === s));
  const dialogue = data.filter((e) => e.set !== 'lexicon');
  const sets = [...new Set(dialogue.map((e) => e.set))];
  const trainedOn = `${sets.length} labelled dialogue sets (${dialogue.length} ${target.speaker} utterances, ${dialogue.filter((e) => e.y).length} ${target.label}) and ${(data.length - dialogue.length) / EXCEPTION_WEIGHT} allowed look-alikes from the ${target.category} lexicon${holdout.size ? `, sets ${[...holdout].join(', ')} held out` : ''}`;
  const lines = [...model.weights].map(([f, v]) => `${f}\t${v}`).join('\n');
  const out = opt('--out') ?? join(ROOT, 'src', 'detect', 'text', target.file);
  writeFileSync(
    out,
    `// Generated by \`npm run train:${opt('--target') ?? 'banned'}\` (test/tools/train-utterance-model.ts) from the labelled dialogue sets: do not edit.\n` +
      `// ${model.weights.size} features, "feature<TAB>weight" per line (src/detect/text/utterance-model.ts).\n` +
      `export const ${target.constName} = {\n  bias: ${Math.round(model.bias * 1000) / 1000},\n  trainedOn: ${JSON.stringify(trainedOn)},\n  weights: ${JSON.stringify(lines)},\n};\n`,
  );
  console.log(`wrote ${out}: ${model.weights.size} features; trained on ${trainedOn}`);
}

main();
