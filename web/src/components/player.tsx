import { useEffect, useRef, useState } from 'preact/hooks';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import { api, ApiError, audioUrl } from '../api';
import { baseName, clock } from '../format';
import { t, type MessageKey } from '../i18n';
import type { CallDetail, CallEvent, Peaks, Speaker } from '../types';
import { eventLabel, eventColor } from './events';

/**
 * Two waveforms (agent, customer) from server-computed peaks, events drawn on them, and the call's playable
 * copy streamed by the browser's media element (byte ranges). Nothing is decoded in the browser, so a 2-hour
 * call opens as fast as a 2-minute one. "Listen to one side" routes the media element through Web Audio.
 */

export interface PlayerHandle {
  playPause(): void;
  seek(sec: number): void;
  skip(deltaSec: number): void;
  time(): number;
  changeSpeed(step: number): void;
}

export const SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];
const ZOOMS = [0, 10, 25, 50, 100, 200]; // px per second; 0 = whole call fits
const WAVE_HEIGHT = 52;
export const SIDE_COLORS: Record<Speaker, { wave: string; progress: string }> = {
  agent: { wave: '#3b6fd8', progress: '#1e3a8a' },
  customer: { wave: '#c2410c', progress: '#7c2d12' },
  unknown: { wave: '#4b5563', progress: '#111827' },
};
type Listen = 'both' | number;

interface Props {
  call: CallDetail;
  handle: { current: PlayerHandle | null };
  onTime: (sec: number) => void;
  onPlayingChange?: (playing: boolean) => void;
  /** Where the cursor starts (a link to a moment, e.g. a search hit); nothing is fetched until play. */
  startAt?: number;
}

export function Player({ call, handle, onTime, onPlayingChange, startAt }: Props) {
  const waveRef = useRef<HTMLDivElement>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const mediaRef = useRef<HTMLAudioElement | null>(null);
  const routingRef = useRef<{ ctx: AudioContext; gains: GainNode[][] } | null>(null);
  // gone: the server answered 410, the recording is no longer where it was analysed from (moved or deleted)
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'gone'>('loading');
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [zoom, setZoom] = useState(0);
  const [listen, setListen] = useState<Listen>('both');
  // who is on which channel: as the analysis labelled them (from the peaks answer); until then the call's guess
  const [speakers, setSpeakers] = useState<Speaker[]>(call.speakers);
  const stereo = speakers.length === 2;

  useEffect(() => {
    const media = new Audio();
    // Nothing is fetched until the inspector plays or seeks: opening a call does not read (and audit) its audio.
    media.preload = 'none';
    media.src = audioUrl(call.id);
    mediaRef.current = media;
    let ws: WaveSurfer | null = null;
    let cancelled = false;
    let lastReport = 0;
    (async () => {
      try {
        const peaks = await api<Peaks>('GET', `/calls/${encodeURIComponent(call.id)}/peaks`);
        if (cancelled || !waveRef.current) return;
        const regions = RegionsPlugin.create();
        const channelColors = peaks.channels.map((_, i) => SIDE_COLORS[peaks.speakers[i] ?? 'unknown']);
        ws = WaveSurfer.create({
          container: waveRef.current,
          media,
          peaks: peaks.channels.map((c) => normalise(c.peaks)),
          duration: peaks.durationSec,
          height: WAVE_HEIGHT,
          splitChannels: channelColors.map((c) => ({ waveColor: c.wave, progressColor: c.progress, height: WAVE_HEIGHT })),
          cursorColor: '#111827',
          cursorWidth: 2,
          barWidth: 2,
          barGap: 1,
          barRadius: 1,
          dragToSeek: true,
          autoScroll: true,
          autoCenter: true,
          minPxPerSec: 0,
          plugins: [
            regions,
            TimelinePlugin.create({ height: 18, formatTimeCallback: (s) => clock(s), style: { fontSize: '11px', color: '#374151' } }),
          ],
        });
        wsRef.current = ws;
        setSpeakers(peaks.speakers.length === peaks.channels.length ? peaks.speakers : call.speakers);
        // Regions are clamped to the duration wavesurfer knows when they are added: add them once it knows it.
        ws.once('decode', () => {
          drawEvents(regions, call, peaks);
          // wavesurfer keeps the time pending (no fetch) until the media can play
          if (startAt && startAt > 0) ws?.setTime(Math.min(startAt, peaks.durationSec));
        });
        ws.on('timeupdate', (sec) => {
          const now = performance.now();
          // Follow-along needs a few updates a second, not one per frame.
          if (now - lastReport > 200 || !ws?.isPlaying()) {
            lastReport = now;
            setTime(sec);
            onTime(sec);
          }
        });
        ws.on('play', () => {
          setPlaying(true);
          onPlayingChange?.(true);
        });
        ws.on('pause', () => {
          setPlaying(false);
          onPlayingChange?.(false);
        });
        setState('ready');
      } catch (err) {
        if (!cancelled) setState(err instanceof ApiError && err.status === 410 ? 'gone' : 'error');
      }
    })();
    // The media element does not say why it failed: ask the server for the first byte to tell a recording that
    // is gone (410) from any other failure.
    media.addEventListener('error', () => {
      if (cancelled) return;
      void fetch(audioUrl(call.id), { headers: { Range: 'bytes=0-0' }, credentials: 'same-origin' })
        .then((r) => (r.status === 410 ? 'gone' : 'error'), () => 'error' as const)
        .then((s) => {
          if (!cancelled) setState(s);
        });
    });
    return () => {
      cancelled = true;
      ws?.destroy();
      media.pause();
      media.removeAttribute('src');
      media.load();
      void routingRef.current?.ctx.close();
      routingRef.current = null;
      wsRef.current = null;
    };
  }, [call.id]);

  function ensureRouting() {
    const media = mediaRef.current;
    if (!media || routingRef.current || !stereo) return;
    const ctx = new AudioContext();
    const src = ctx.createMediaElementSource(media);
    const split = ctx.createChannelSplitter(2);
    const merge = ctx.createChannelMerger(2);
    src.connect(split);
    // gains[from][to]: channel `from` of the recording into ear `to`
    const gains = [0, 1].map((from) =>
      [0, 1].map((to) => {
        const g = ctx.createGain();
        split.connect(g, from);
        g.connect(merge, 0, to);
        return g;
      }),
    );
    merge.connect(ctx.destination);
    routingRef.current = { ctx, gains };
    applyListen(listen);
  }

  function applyListen(l: Listen) {
    const r = routingRef.current;
    if (!r) return;
    for (const from of [0, 1])
      for (const to of [0, 1]) {
        // Both: each side in its own ear. One side: that side in both ears, the other silent.
        const on = l === 'both' ? from === to : from === l;
        r.gains[from][to].gain.value = on ? 1 : 0;
      }
  }

  function chooseListen(l: Listen) {
    setListen(l);
    if (l !== 'both') ensureRouting();
    applyListen(l);
    if (routingRef.current?.ctx.state === 'suspended') void routingRef.current.ctx.resume();
  }

  handle.current = {
    playPause() {
      const ws = wsRef.current;
      if (!ws) return;
      if (routingRef.current?.ctx.state === 'suspended') void routingRef.current.ctx.resume();
      void ws.playPause();
    },
    seek(sec) {
      const ws = wsRef.current;
      if (ws) ws.setTime(Math.max(0, Math.min(sec, call.durationSec)));
      else if (mediaRef.current) mediaRef.current.currentTime = sec;
      setTime(sec);
      onTime(sec);
    },
    skip(delta) {
      this.seek(this.time() + delta);
    },
    time() {
      return wsRef.current?.getCurrentTime() ?? mediaRef.current?.currentTime ?? 0;
    },
    changeSpeed(step) {
      const i = SPEEDS.indexOf(speed);
      const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, i + step))];
      setRate(next);
    },
  };

  function setRate(r: number) {
    setSpeed(r);
    wsRef.current?.setPlaybackRate(r, true);
    if (!wsRef.current && mediaRef.current) mediaRef.current.playbackRate = r;
  }

  function setZoomLevel(z: number) {
    setZoom(z);
    wsRef.current?.zoom(z);
  }

  const zi = ZOOMS.indexOf(zoom);
  const channelLabels = speakers.map((s) => t(s === 'agent' ? 'agentSide' : s === 'customer' ? 'customerSide' : 'unknownSide'));

  return (
    <section class="player" aria-label={t('play')}>
      <div class="wave-row">
        <div class="wave-labels" aria-hidden="true">
          {channelLabels.map((l, i) => (
            <div class={`wave-label side-${speakers[i]}`} style={{ height: `${WAVE_HEIGHT}px` }}>
              {l}
            </div>
          ))}
        </div>
        <div class="wave" style={{ height: `${WAVE_HEIGHT * Math.max(1, call.channels >= 2 ? 2 : 1) + 22}px` }}>
          <div ref={waveRef} class="wave-canvas" />
          {state !== 'ready' && (
            <div class={`wave-placeholder ${state}`} role="status">
              {state === 'loading' ? (
                t('audioLoading')
              ) : state === 'gone' ? (
                <div class="audio-gone">
                  <strong>{t('audioGone', { file: baseName(call.fileName) })}</strong>
                  <span>{t('audioGoneStill')}</span>
                </div>
              ) : (
                t('audioError')
              )}
            </div>
          )}
        </div>
      </div>
      <div class="controls" role="toolbar" aria-label={t('play')}>
        <button onClick={() => handle.current?.skip(-5)} aria-label={t('back5')} title={`${t('back5')} (←)`} disabled={state !== 'ready'}>
          −5s
        </button>
        <button class="play" onClick={() => handle.current?.playPause()} disabled={state !== 'ready'} aria-label={playing ? t('pause') : t('play')} title={`${playing ? t('pause') : t('play')} (Space)`}>
          {playing ? '❚❚' : '▶'}
        </button>
        <button onClick={() => handle.current?.skip(5)} aria-label={t('fwd5')} title={`${t('fwd5')} (→)`} disabled={state !== 'ready'}>
          +5s
        </button>
        <span class="time" aria-live="off">
          {clock(time)} / {clock(call.durationSec)}
        </span>
        <label class="ctl">
          {t('speed')}
          <select value={String(speed)} onChange={(e) => setRate(Number(e.currentTarget.value))} disabled={state === 'gone'}>
            {SPEEDS.map((s) => (
              <option value={String(s)}>{s}×</option>
            ))}
          </select>
        </label>
        <span class="ctl zoom">
          {t('zoom')}
          <button onClick={() => setZoomLevel(ZOOMS[Math.max(0, zi - 1)])} disabled={zi <= 0 || state === 'gone'} aria-label={t('zoomOut')}>
            −
          </button>
          <button onClick={() => setZoomLevel(ZOOMS[Math.min(ZOOMS.length - 1, zi + 1)])} disabled={zi >= ZOOMS.length - 1 || state === 'gone'} aria-label={t('zoomIn')}>
            +
          </button>
        </span>
        {stereo && (
          <label class="ctl">
            {t('listen')}
            <select value={String(listen)} onChange={(e) => chooseListen(e.currentTarget.value === 'both' ? 'both' : Number(e.currentTarget.value))} disabled={state === 'gone'}>
              <option value="both">{t('bothSides')}</option>
              {speakers.map((s, i) => (
                <option value={String(i)}>{t(s === 'agent' ? 'agentOnly' : 'customerOnly')}</option>
              ))}
            </select>
          </label>
        )}
        <Legend />
      </div>
    </section>
  );
}

function Legend() {
  const items: [string, MessageKey][] = [
    ['silence', 'eventSilence'],
    ['talk_over', 'eventTalkOver'],
    ['hold', 'eventHold'],
    ['lexicon', 'eventLexicon'],
  ];
  return (
    <span class="legend" aria-hidden="true">
      {items.map(([type, key]) => (
        <span class="legend-item">
          <span class="swatch" style={{ background: eventColor(type, 0.55) }} />
          {t(key)}
        </span>
      ))}
    </span>
  );
}

/** Peaks scaled per channel, so a quiet customer line is as readable as the agent's; silence stays flat. */
function normalise(peaks: number[]): number[] {
  let max = 0;
  for (const p of peaks) if (p > max) max = p;
  const scale = 1 / Math.max(max, 255 * 0.05);
  return peaks.map((p) => p * scale);
}

function drawEvents(regions: InstanceType<typeof RegionsPlugin>, call: CallDetail, peaks: Peaks) {
  const speakers = peaks.speakers;
  const channelOf = (s: Speaker | null) => (s ? speakers.indexOf(s) : -1);
  if (peaks.timeline) {
    for (const ch of peaks.timeline.channels) {
      const idx = channelOf(ch.speaker);
      if (idx < 0) continue;
      for (const sp of ch.speech) {
        regions.addRegion({ start: sp.start, end: sp.end, color: 'rgba(17,24,39,0.06)', drag: false, resize: false, channelIdx: idx });
      }
    }
  }
  for (const ev of call.events) {
    if (ev.type === 'speech_rate' || ev.type.startsWith('missing_') || ev.type === 'hold_etiquette') continue;
    const lexicon = isLexiconHit(ev);
    const idx = channelOf(ev.speaker);
    const full = ev.type === 'silence' || ev.type === 'hold' || idx < 0;
    // Wide spans carry a short label; lexicon hits are thin markers (their words are highlighted in the transcript).
    let content: HTMLElement | undefined;
    if (!lexicon && ev.end - ev.start >= 1) {
      content = document.createElement('span');
      content.className = `region-label ${ev.type}`;
      // The regions live in wavesurfer's shadow DOM, out of reach of the page's stylesheet.
      content.style.cssText = 'display:inline-block;font-size:10px;line-height:1.2;padding:1px 3px;white-space:nowrap;color:#111827;background:rgba(255,255,255,0.85);border-radius:2px;pointer-events:none;';
      content.textContent = eventLabel(ev);
      content.title = `${eventLabel(ev)} ${clock(ev.start)}–${clock(ev.end)}`;
    }
    regions.addRegion({
      start: ev.start,
      end: lexicon ? ev.start : ev.end,
      color: eventColor(lexicon ? 'lexicon' : ev.type, 0.28),
      drag: false,
      resize: false,
      ...(content ? { content } : {}),
      ...(full ? {} : { channelIdx: idx }),
    });
  }
}

export function isLexiconHit(ev: CallEvent): boolean {
  return typeof ev.matched === 'string' && typeof ev.entryId === 'string';
}
