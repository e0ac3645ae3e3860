import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Summarise a V8 .cpuprofile (node --cpu-prof): self time per function, top N. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  fn: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

export function topSelf(file: string, root: string, n = 15): { totalMs: number; hot: HotSpot[] } {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
  const agg = new Map<string, HotSpot>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    totalMs += ms;
    const cf = node.callFrame;
    const url = cf.url.replace(/^file:\/\//, '');
    const where = url ? `${path.relative(root, url)}:${cf.lineNumber + 1}` : '';
    const fn = cf.functionName || '(anonymous)';
    const key = `${fn}@${where}`;
    const a = agg.get(key) ?? { fn, where, selfMs: 0, selfPct: 0 };
    a.selfMs += ms;
    agg.set(key, a);
  }
  const hot = [...agg.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, n);
  for (const h of hot) h.selfPct = (100 * h.selfMs) / (totalMs || 1);
  return { totalMs, hot };
}
