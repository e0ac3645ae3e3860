import { join } from 'node:path';
import { it } from 'vitest';
import { normaliseText } from '../src/core/normalise.js';
import { DEFAULT_TEXT_PARAMS, runTextDetectors } from '../src/detect/text/index.js';
import { loadLexicons } from '../src/lexicon/loader.js';
import { readFileSync } from 'node:fs';
const lex = loadLexicons(join(import.meta.dirname, '..', 'lexicons'));
it('probe', () => {
  const calls = readFileSync('/tmp/gen3/probe.txt', 'utf8').split(/\n\s*\n/).filter((b) => b.trim());
  for (const c of calls) {
    const lines = c.trim().split('\n').map((l) => [l[0] === 'a' ? 'agent' : 'customer', l.slice(2)] as const);
    const segments = lines.map(([speaker, text], i) => ({ speaker, start: 0.5 + 4 * i, end: 3.5 + 4 * i, text, normText: normaliseText(text) }));
    const ev = runTextDetectors({ transcript: { engine: 'sidecar-json', language: 'auto', segments }, durationSec: 4 * lines.length + 2, holdSpans: [], language: 'auto' }, lex, DEFAULT_TEXT_PARAMS).events;
    const want = new Set(['greeting', 'missing_greeting', 'closing', 'missing_closing', 'self_identification', 'late_self_identification', 'missing_self_identification', 'banned_phrase', 'filler', 'customer_escalation']);
    console.log('PROBE ' + lines.map((l) => l[1]).join(' | ').slice(0, 110) + '\n    => ' + ev.filter((e) => want.has(e.type)).map((e) => `${e.type}${'matched' in e.details && e.details.matched ? '(' + e.details.matched + ')' : ''}`).join(', '));
  }
});
