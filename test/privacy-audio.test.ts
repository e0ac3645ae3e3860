/**
 * The redacted playable copy's filter on real ffmpeg: a span is silenced on the speaking side's channel only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../src/audio/tools.js';
import { mutePlan, muteFilter } from '../src/privacy/audio.js';
import type { PiiFinding } from '../src/privacy/transcript.js';

const dir = mkdtempSync(path.join(tmpdir(), 'callqa-pii-audio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Buffer {
  const r = spawnSync(ffmpegPath(), args, { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString().slice(-400)}`);
  return r.stdout;
}

/** RMS per channel of s16le stereo PCM between two times. */
function rms(pcm: Buffer, sr: number, from: number, to: number): [number, number] {
  const acc = [0, 0];
  let n = 0;
  for (let i = Math.floor(from * sr); i < Math.floor(to * sr); i++, n++) {
    for (let c = 0; c < 2; c++) {
      const v = pcm.readInt16LE(i * 4 + c * 2) / 32768;
      acc[c] += v * v;
    }
  }
  return [Math.sqrt(acc[0]! / n), Math.sqrt(acc[1]! / n)];
}

describe('redacted audio', () => {
  it('mutes the customer channel during the customer span only, agent audible throughout', () => {
    const src = path.join(dir, 'call.wav');
    // 10 s stereo mu-law: 440 Hz on the left (agent), 660 Hz on the right (customer)
    run(['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:r=8000:d=10', '-f', 'lavfi', '-i', 'sine=f=660:r=8000:d=10',
      '-filter_complex', 'join=inputs=2:channel_layout=stereo', '-c:a', 'pcm_mulaw', '-y', src]);
    const findings: PiiFinding[] = [{ category: 'mobile', speaker: 'customer', start: 4, end: 6, segment: 0, charStart: 0, charEnd: 11, timing: 'words' }];
    const plan = mutePlan(findings, { channelOf: { agent: 0, customer: 1 }, channelCount: 2, padWordsSec: 0.15, padEstimatedSec: 0.6, durationSec: 10 });
    expect(plan.channels).toEqual([[], [{ start: 3.85, end: 6.15 }]]);
    const filter = muteFilter(plan)!;
    const pcm = run(['-v', 'error', '-i', src, '-af', filter, '-f', 's16le', '-ac', '2', '-ar', '8000', 'pipe:1']);
    const [agentIn, custIn] = rms(pcm, 8000, 3.85, 6.15);
    const [agentOut, custOut] = rms(pcm, 8000, 1, 3);
    expect(custIn).toBeLessThan(0.001);
    expect(agentIn).toBeGreaterThan(0.05); // a sine at 1/8 full scale: RMS 0.088
    expect(custOut).toBeGreaterThan(0.05);
    expect(agentOut).toBeGreaterThan(0.05);
    expect(readFileSync(src).length).toBeGreaterThan(0);
  });
  it('a mono recording is muted whoever spoke', () => {
    const plan = mutePlan([{ category: 'email', speaker: 'agent', start: 1, end: 2, segment: 0, charStart: 0, charEnd: 5, timing: 'estimated' }],
      { channelOf: { agent: 0, customer: 1 }, channelCount: 1, padWordsSec: 0.15, padEstimatedSec: 0.6, durationSec: 10 });
    expect(plan.channels).toEqual([[{ start: 0.4, end: 2.6 }]]);
    expect(muteFilter(plan)).toBe("aeval=exprs='val(0)*not(between(t,0.400,2.600))':c=same");
  });
});
