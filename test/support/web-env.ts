import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { probe } from '../../src/audio/ffmpeg.js';
import { ffmpegPath } from '../../src/audio/tools.js';

/**
 * What the browser tests stand on: the shipped sample calls (with their sidecar transcripts and metadata) and a
 * 10-minute call made from them, analysed by the real CLI into a fresh data folder; the web UI built from source
 * into a temp folder (never a stale dist/); and Debian's headless Chromium driven by playwright-core.
 */

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'src', 'cli', 'bin.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SHOTS_DIR = path.join(ROOT, 'test', '.cache', 'screenshots');

export interface SampleCall {
  file: string;
  agentId: string;
  team: string;
  startedAt: string;
}

/** Who handled which sample (sidecar metadata): two agents of team "blue", one of team "green". */
export const SAMPLE_CALLS: SampleCall[] = [
  { file: 'zh-complaint-bad.ogg', agentId: 'A1001', team: 'blue', startedAt: '2026-11-27T09:12:00+08:00' },
  { file: 'zh-billing-good.ogg', agentId: 'A1001', team: 'blue', startedAt: '2026-11-27T10:40:00+08:00' },
  { file: 'en-billing-bad.ogg', agentId: 'A2002', team: 'blue', startedAt: '2026-11-27T11:05:00+08:00' },
  { file: 'en-escalation-real-voice.ogg', agentId: 'A2002', team: 'blue', startedAt: '2026-11-27T13:30:00+08:00' },
  { file: 'en-support-good.mp3', agentId: 'A3003', team: 'green', startedAt: '2026-11-27T14:02:00+08:00' },
];

export const LONG_CALL = 'zh-long-ten-minutes.wav';

/**
 * Copies the samples with their transcripts and metadata sidecars into `dir`, and makes a 10-minute call:
 * zh-billing-good five times over, as 8 kHz mu-law stereo WAV (a telephony codec browsers cannot play), with
 * the transcript repeated at the matching offsets.
 */
export async function prepareCalls(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const c of SAMPLE_CALLS) {
    const base = c.file.replace(/\.[^.]+$/, '');
    copyFileSync(path.join(ROOT, 'samples', c.file), path.join(dir, c.file));
    copyFileSync(path.join(ROOT, 'samples', `${base}.transcript.json`), path.join(dir, `${base}.transcript.json`));
    writeFileSync(path.join(dir, `${base}.meta.json`), JSON.stringify({ agentId: c.agentId, team: c.team, startedAt: c.startedAt }));
  }
  const src = path.join(ROOT, 'samples', 'zh-billing-good.ogg');
  const repeats = 5;
  await run(ffmpegPath(), ['-nostdin', '-loglevel', 'error', '-y', '-stream_loop', String(repeats - 1), '-i', src, '-ar', '8000', '-c:a', 'pcm_mulaw', path.join(dir, LONG_CALL)]);
  const oneSec = (await probe(src)).durationSec;
  const t = JSON.parse(readFileSync(path.join(ROOT, 'samples', 'zh-billing-good.transcript.json'), 'utf8')) as { language: string; segments: { start: number; end: number }[] };
  const segments = Array.from({ length: repeats }, (_, k) => t.segments.map((s) => ({ ...s, start: +(s.start + k * oneSec).toFixed(3), end: +(s.end + k * oneSec).toFixed(3) }))).flat();
  const base = LONG_CALL.replace(/\.wav$/, '');
  writeFileSync(path.join(dir, `${base}.transcript.json`), JSON.stringify({ language: t.language, segments }));
  writeFileSync(path.join(dir, `${base}.meta.json`), JSON.stringify({ agentId: 'A1001', team: 'blue', startedAt: '2026-11-28T09:00:00+08:00' }));
}

/** `callqa analyze` from source on every call in `callsDir`, into the data folder `dataDir`. */
export async function analyse(callsDir: string, dataDir: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, 'analyze', '--quiet', '--no-table', '--data', dataDir, callsDir], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', CALLQA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`callqa analyze exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** Builds web/ from source into a fresh folder (vite's JS API, the same config as `npm run build:web`). */
export async function buildWeb(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh headless Chromium profile at 1366x768 in the given language. */
export async function openBrowser(locale: 'zh-CN' | 'en-US'): Promise<BrowserSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 'callqa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    viewport: { width: 1366, height: 768 },
    locale,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Signs in through the login page of the app at `base` and waits for the top bar. */
export async function logIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForSelector('form.login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('header.topbar');
}

/** The page's script errors as they happen (a test expects the list to stay empty). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}
