/**
 * The `--json` report, written as the batch goes: the header at the start, each call the moment it is
 * finished, the closing summary at the end. Nothing of the batch is held for it, so memory does not grow
 * with the number of calls, no single string has to hold the whole report (one `JSON.stringify` of ~20,000
 * calls passed V8's string limit after all the work was done, and nothing was written), and a batch that
 * is interrupted (Ctrl-C) or dies still leaves on disk every call it finished.
 *
 * The output is the same `callqa.report/2` document as before (pretty-printed, `calls` in order), plus a
 * closing `summary` object; a file cut short by a crash is not valid JSON, so it cannot pass for complete.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { cannotWrite } from '../core/output-file.js';
import { REPORT_SCHEMA, type CallReport } from './report.js';

/** A file the batch did not analyse, and not for a failure: why, and for a duplicate the file it duplicates. */
export interface SkippedFile {
  file: string;
  reason: string;
  duplicateOf?: string;
}

export interface ReportSummary {
  /** calls in the report (analysed, cached or failed) */
  calls: number;
  analysed: number;
  failed: number;
  /** files not analysed and not failed (not among the calls): repeats, broken links, duplicates, walked files with no audio stream */
  skipped: SkippedFile[];
  /** true when the batch was stopped (Ctrl-C, SIGTERM, a full disk) before every file was tried */
  interrupted: boolean;
  /** files found but not finished when the batch was stopped: not analysed, nothing of them stored */
  notFinished: string[];
  /**
   * the batch stopped because a disk filled up: the folder on it and the error (README "Exit codes": 4);
   * `guessed` when the error did not say where (a write on an open file, a child process's "No space left on
   * device"): `folder` is then the fullest disk of those the batch writes to
   */
  diskFull?: { folder: string; guessed?: true; error: string };
}

export interface ReportWriter {
  add(call: CallReport): Promise<void>;
  /** writes the summary and closes the document; idempotent */
  finish(summary: ReportSummary): Promise<void>;
}

type Sink = { write(s: string): Promise<void>; close(): Promise<void> };

export async function openReportWriter(target: string, header: { generatedAt: string; callqaVersion: string }): Promise<ReportWriter> {
  const sink = target === '-' ? stdoutSink() : await fileSink(target);
  await sink.write(
    `{\n  "schema": ${JSON.stringify(REPORT_SCHEMA)},\n  "generatedAt": ${JSON.stringify(header.generatedAt)},\n  "callqaVersion": ${JSON.stringify(header.callqaVersion)},\n  "calls": [`,
  );
  let n = 0;
  let finished = false;
  return {
    async add(call) {
      // one call at a time: each stringify is the size of one call, never of the batch
      const body = JSON.stringify(call, null, 2).replace(/\n/g, '\n    ');
      await sink.write(`${n++ === 0 ? '\n' : ',\n'}    ${body}`);
    },
    async finish(summary) {
      if (finished) return;
      finished = true;
      const s = JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ');
      await sink.write(`${n ? '\n  ' : ''}],\n  "summary": ${s}\n}\n`);
      await sink.close();
    },
  };
}

/**
 * `--json` overwrites only a report (or an empty file): `callqa analyze --json calls/*.wav` takes the first
 * recording for the report's name, and opening it for writing destroyed that recording.
 */
async function refuseToOverwrite(path: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return; // nothing there (or unreadable: the open for writing says why)
  }
  try {
    if (!(await fh.stat()).isFile()) return;
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead === 0) return;
    if (/^\{\s*"schema":\s*"callqa\.report\//.test(head.subarray(0, bytesRead).toString('utf8'))) return;
  } finally {
    await fh.close();
  }
  throw new ConfigError(`--json ${path}: the file exists and is not a callqa report; not overwriting it (did the report's name go missing after --json?)`);
}

async function fileSink(path: string): Promise<Sink> {
  await refuseToOverwrite(path);
  let fh: FileHandle;
  try {
    fh = await open(path, 'w');
  } catch (err) {
    throw cannotWrite('--json', path, 'the report', err);
  }
  return {
    async write(s) {
      // write() may take part of the buffer (a disk filling up takes what fits, then says ENOSPC on the next
      // call): go on until all of it is written or the error comes, never drop the rest silently
      const buf = Buffer.from(s, 'utf8');
      for (let off = 0; off < buf.length; ) {
        const { bytesWritten } = await fh.write(buf, off, buf.length - off);
        if (bytesWritten === 0) throw Object.assign(new Error(`${path}: nothing written (no space left on device?)`), { code: 'ENOSPC', path });
        off += bytesWritten;
      }
    },
    async close() {
      await fh.close();
    },
  };
}

function stdoutSink(): Sink {
  // a failed write (stdout redirected to a file on a full disk: ENOSPC, a closed pipe) comes as the stream's
  // 'error' event, which with no listener ends the process with a stack trace; kept here, it rejects the write
  // and every later one, and the batch says the report is incomplete
  let failed: Error | undefined;
  process.stdout.on('error', (err: Error) => {
    failed ??= err;
  });
  return {
    write: (s) =>
      new Promise<void>((resolve, reject) => {
        if (failed) return reject(failed);
        // one write in hand at a time (its callback: handed to the OS): a slow reader (a pipe) holds us back,
        // never the whole report in memory
        process.stdout.write(s, (err) => (err || failed ? reject(err ?? failed) : resolve()));
      }),
    close: async () => {
      if (failed) throw failed;
    },
  };
}
