/**
 * What a transcript search answers (the API's searchTranscripts), as types only: the server builds them
 * (services/search.ts) and the inspector UI reads them (web/src/search-api.ts imports this file), so the
 * two cannot drift apart. Pure: no imports.
 */

export interface Highlight {
  /** offsets in the raw text, [start, end) */
  start: number;
  end: number;
}

export interface SearchHit {
  /** the call id, as the API's listCalls names calls (the recording) */
  callId: string;
  /** the analysis run the hit comes from */
  runId: string;
  file: string;
  agentId: string | null;
  team: string | null;
  program: string;
  callDate: string | null;
  speaker: string;
  /** the utterance's index in the transcript */
  idx: number;
  /** the moment: the utterance's start and end, seconds from the start of the recording */
  start: number;
  end: number;
  /** the utterance (or a window of it) with the matches' offsets in it */
  snippet: string;
  highlights: Highlight[];
  /** the call view at this moment ("/#/call/ID?t=12.5") */
  link: string;
  rank: number;
}

/** The API's answer (services/search.ts adds the query as PostgreSQL ran it, for the CLI). */
export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** more hits exist past this page */
  more: boolean;
  /** with no hits: lower-case operator words the query searched as words (lowercaseOperatorHint) */
  hint?: string;
}

/** A saved search's hit on the compliance watch list (the API's listWatchHits). */
export interface WatchHit {
  /** the saved search's name */
  savedSearch: string;
  callId: string;
  runId: string;
  file: string;
  speaker: string;
  start: number;
  end: number;
  /** when it was found (ISO time) */
  at: string;
}
