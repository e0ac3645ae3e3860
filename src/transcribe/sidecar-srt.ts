import { InputError } from '../core/errors.js';
import type { Speaker, Transcript, TranscriptEngine } from '../core/types.js';
import { AGENT_SPEAKER_HINT, checkAndBuild, decodeEntities, joinPieces, languageFor, readCues, speakerLabels, speakerOf, stripBom, voiceSpans, type RawSegment, type SidecarOptions, type SpeakerLabels } from './sidecar-common.js';

/**
 * SubRip (`<name>.transcript.srt`), as call platforms and subtitle tools export it: numbered cues, a
 * `00:00:01,000 --> 00:00:04,500` timing line, then the text. SubRip has no speaker field, so the speaker is
 * read from the text: a label at the start of a line (`Agent:`, `Customer:`, `坐席：`, `客户：`, `客戶:`, in any
 * case, with an ASCII or full-width colon), a bracketed or parenthesised one (`[Agent]`, `【坐席】`, `(agent)`,
 * `（客服）`), or a WebVTT-style `<v Agent>` tag, which some tools write into SubRip too. A line without a label continues the speaker of the
 * line before it in the same cue; several labels in one cue become several segments.
 *
 * A cue whose text starts without a speaker label is refused, as a WebVTT cue without a `<v>` tag is: callqa
 * does not guess who spoke (a wrong guess turns the customer's words into the agent's script checks), mono or
 * stereo. A label that is not a speaker role (`Jane:`, `[music]`, the `10:` of "10:30") is not a label but text;
 * on the first line of a cue that means the cue has no speaker. Only the role names of sidecar-common.ts are
 * labels: a word and a colon that starts a sentence (`Note:`, `Yes:`) stays text. A numbered speaker from
 * diarisation (`Speaker 1:`, `(speaker 2)`, `说话人1：`, any case) is read as a label but refused, as in the other
 * formats: it does not say which side is the agent, unless the call's agentSpeaker names the agent's (then the
 * others are the customer's side; sidecar-common.ts speakerLabels). Errors name the cue and its timing line, never the text or
 * the label (people's names are personal data).
 */

const TIMING_RE = /^((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s+.*)?$/;

/**
 * `Agent: …`, `- 客户：…`, `[Agent] …`, `【坐席】…`, `(agent) …`, `（客服）…`: the label (group 1) and the rest of the
 * line (group 2), or null. Whether the label is a speaker is speakerOf's to say.
 */
const LABEL_RE = /^\s*(?:-\s*)?(?:\[([^\]]{1,40})\]\s*[:：]?|【([^】]{1,40})】\s*[:：]?|[(（]([^)）]{1,40})[)）]\s*[:：]?|([^:：[\]【】()（）<>]{1,40}?)\s*[:：])\s*(.*)$/s;

/**
 * A speaker number from diarisation (`Speaker 1`, `speaker_2`, `SPK 0`, `说话人1`, `发言人 2`), after NFKC and in any
 * case: a label, but one that names no side.
 */
const SPEAKER_NUMBER_RE = /^(?:speaker|spk|说话人|說話人|发言人|發言人|讲话人|講話人)[\s_#-]*\d{1,3}$/iu;
const isSpeakerNumber = (label: string) => SPEAKER_NUMBER_RE.test(label.normalize('NFKC').trim());

/** A subtitle dialogue dash: a line starting "- " is another speaker's. */
const DIALOGUE_DASH_RE = /^[-‐‑–—]\s/;

/** ASS/SSA override blocks some SubRip writers leave in (`{\an8}`, `{\i1}`): formatting. */
const ASS_TAG_RE = /\{\\[^}]*\}/g;

const EXPECTED = 'expected the text to start with "Agent:" or "Customer:" (or "坐席：", "客服：", "客户："), "[Agent]", "(Agent)", or a <v Agent> tag';

const NUMBERED =
  'a numbered speaker label (Speaker 1, spk_0) does not say which side is the agent, and callqa does not guess it: ' +
  `write the roles into the file ("Agent:", "Customer:", "坐席：", "客户："), ${AGENT_SPEAKER_HINT}`;

/** Cue numbers are optional (some exporters leave them out) and not trusted (others restart them). */
const SRT_CUES = {
  timing: TIMING_RE,
  example: '00:00:01,000 --> 00:00:04,500',
  hasId: (block: readonly string[]) => /^\d+$/.test(block[0]!.trim()) && block.length > 1,
};

export function parseSrtSidecar(text: string, file: string, opts: SidecarOptions = {}): Transcript {
  const lines = stripBom(text).split(/\r\n|\r|\n/);
  if (/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    throw new InputError(file, 'a WebVTT file saved as SubRip: name it .transcript.vtt');
  }
  const raw: RawSegment[] = [];
  const labels = speakerLabels(opts);
  for (const { where, start, end, payload } of readCues(lines, 0, file, SRT_CUES)) {
    for (const seg of cueSegments(payload, file, where, labels)) raw.push({ label: where, start, end, ...seg });
  }
  labels.check(file);
  const segments = checkAndBuild(raw, file, opts);
  return { engine: 'sidecar-srt' satisfies TranscriptEngine, language: languageFor(segments, opts), segments };
}

/** A cue's text as speaker turns: `<v>` tags and line labels start a turn, unlabelled lines continue one. */
function cueSegments(payload: string, file: string, where: string, labels: SpeakerLabels): { speaker: Speaker; text: string }[] {
  const out: { speaker: Speaker; text: string[] }[] = [];
  let current: Speaker | null = null;
  for (const span of voiceSpans(payload.replace(ASS_TAG_RE, ''))) {
    if (span.voice !== null) {
      const speaker = labels.of(span.voice);
      // the tag is not quoted: platforms put people's names there
      if (!speaker) throw new InputError(file, `${where}: the <v> voice tag is not a speaker role (${EXPECTED}; ${AGENT_SPEAKER_HINT})`);
      current = speaker;
      out.push({ speaker, text: [] });
    }
    for (const rawLine of span.text.split('\n')) {
      let line = decodeEntities(rawLine).trim();
      if (line === '') continue;
      const l = LABEL_RE.exec(line);
      const label = l ? (l[1] ?? l[2] ?? l[3] ?? l[4] ?? '') : '';
      // with the call's agentSpeaker a numbered speaker is a side too; another word before a colon stays text
      const speaker = l ? (isSpeakerNumber(label) ? labels.of(label) : speakerOf(label)) : undefined;
      // on any line: read as text, the next speaker's words would become this one's
      if (l && !speaker && isSpeakerNumber(label)) throw new InputError(file, `${where}: ${NUMBERED}`);
      if (l && speaker) {
        current = speaker;
        line = l[5]!.trim();
        out.push({ speaker, text: [] });
        if (line === '') continue;
      } else if (current === null) {
        throw new InputError(file, `${where}: no speaker label (${EXPECTED})`);
      } else if (DIALOGUE_DASH_RE.test(line)) {
        // "- Agent: hi" then "- hello": the dash says another person speaks, the missing label does not say who
        throw new InputError(file, `${where}: a dialogue line ("- ...") without a speaker label: a dash starts another speaker's line (${EXPECTED})`);
      }
      out.at(-1)!.text.push(line);
    }
  }
  return out.filter((s) => s.text.length > 0).map((s) => ({ speaker: s.speaker, text: joinPieces(s.text) }));
}
