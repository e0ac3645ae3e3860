import cliProgress from 'cli-progress';
import { forTerminal } from '../core/control-chars.js';

/**
 * Progress on long work: a files bar and a per-file stage bar on a terminal; on anything else (CI logs,
 * pipes) one plain line per file and stage, so logs stay readable.
 */
/** One file's progress when several run at once (`analyze --jobs`): its own stage line or bar. */
export interface FileProgress {
  stage(stage: string, fraction: number): void;
  /**
   * the file is over; `status` is its line's end ("done", "failed: …"). With `keep`, the line stays on a terminal
   * too, as `<name>: <status>` (where the bar would vanish): for what the user must see, such as a skipped file.
   */
  end(status: string, opts?: { keep?: boolean }): void;
}

export interface Progress {
  /** a handle for one of several files in flight */
  file(index: number, total: number | null, name: string): FileProgress;
  startFile(index: number, total: number | null, name: string): void;
  stage(stage: string, fraction: number): void;
  endFile(status: string): void;
  log(line: string): void;
  stop(): void;
}

export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { file: () => ({ stage() {}, end() {} }), startFile() {}, stage() {}, endFile() {}, log() {}, stop() {} };
  if (!stream.isTTY) return lineProgress(stream);
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: true,
      hideCursor: true,
      format: ' {label} |{bar}| {percentage}% {detail}',
      barsize: 28,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let files: cliProgress.SingleBar | null = null;
  let stageBar: cliProgress.SingleBar | null = null;
  let done = 0;
  return {
    file(index, total, name) {
      if (!files) files = multi.create(total ?? 1, 0, { label: 'files'.padEnd(10), detail: '' });
      if (total) files.setTotal(total);
      const bar = multi.create(100, 0, { label: 'probe'.padEnd(10), detail: shorten(`${index + 1}${total ? `/${total}` : ''} ${forTerminal(name)}`, 48) });
      return {
        stage(stage, fraction) {
          bar.update(Math.round(fraction * 100), { label: stage.padEnd(10) });
        },
        end(status, endOpts) {
          multi.remove(bar);
          if (endOpts?.keep) multi.log(`${forTerminal(name)}: ${forTerminal(status)}\n`);
          done++;
          files?.update(done, { label: 'files'.padEnd(10), detail: `${done}${total ? `/${total}` : ''}` });
        },
      };
    },
    startFile(index, total, name) {
      if (!files) files = multi.create(total ?? 1, 0, { label: 'files'.padEnd(10), detail: '' });
      if (total) files.setTotal(total);
      files.update(done, { label: 'files'.padEnd(10), detail: `${index + 1}${total ? `/${total}` : ''}` });
      if (!stageBar) stageBar = multi.create(100, 0, { label: 'stage', detail: '' });
      stageBar.update(0, { label: 'probe'.padEnd(10), detail: shorten(forTerminal(name), 48) });
    },
    stage(stage, fraction) {
      stageBar?.update(Math.round(fraction * 100), { label: stage.padEnd(10) });
    },
    endFile() {
      done++;
      files?.update(done);
    },
    log(line) {
      multi.log(`${forTerminal(line)}\n`);
    },
    stop() {
      multi.stop();
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream): Progress {
  let current = '';
  let lastStage = '';
  let lastPct = -1;
  return {
    file(index, total, name) {
      const label = `[${index + 1}${total ? `/${total}` : ''}] ${forTerminal(name)}`;
      let stageSeen = '';
      let pctSeen = -1;
      return {
        stage(stage, fraction) {
          const pct = Math.floor(fraction * 4) * 25;
          if (stage === stageSeen && pct === pctSeen) return;
          if (stage !== stageSeen && fraction < 1) stream.write(`${label}: ${stage}\n`);
          else if (pct > pctSeen && pct > 0 && pct < 100) stream.write(`${label}: ${stage} ${pct}%\n`);
          stageSeen = stage;
          pctSeen = pct;
        },
        end(status) {
          stream.write(`${label}: ${forTerminal(status)}\n`);
        },
      };
    },
    startFile(index, total, name) {
      current = `[${index + 1}${total ? `/${total}` : ''}] ${forTerminal(name)}`;
      lastStage = '';
      lastPct = -1;
    },
    stage(stage, fraction) {
      const pct = Math.floor(fraction * 4) * 25; // 0/25/50/75/100: enough for a log
      if (stage === lastStage && pct === lastPct) return;
      if (stage !== lastStage && fraction < 1) stream.write(`${current}: ${stage}\n`);
      else if (pct > lastPct && pct > 0 && pct < 100) stream.write(`${current}: ${stage} ${pct}%\n`);
      lastStage = stage;
      lastPct = pct;
    },
    endFile(status) {
      stream.write(`${current}: ${forTerminal(status)}\n`);
    },
    log(line) {
      stream.write(`${forTerminal(line)}\n`);
    },
    stop() {},
  };
}

function shorten(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(-(n - 1))}`;
}
