import { opendir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { notUtf8Note } from './files.js';

/**
 * Extensions taken when walking a folder (any case). Files named explicitly are always tried, whatever their
 * name. Video containers are here too: screen and softphone recorders write the call as .mkv, .mov or .3gp (the
 * audio track is analysed). README "Folders" lists them.
 */
export const AUDIO_EXTENSIONS = new Set([
  '.wav', '.wave', '.mp3', '.ogg', '.opus', '.oga', '.m4a', '.mp4', '.aac', '.flac', '.amr', '.awb', '.gsm', '.wma', '.webm', '.au', '.aif', '.aiff', '.caf', '.sln', '.ulaw', '.alaw',
  '.mka', '.mkv', '.mov', '.3gp', '.3g2', '.weba', '.spx', '.g722',
]);

export interface FoundFile {
  /** path to read */
  path: string;
  /** as given by the user (for a walked folder: the folder as given joined with the relative path) */
  displayName: string;
  /**
   * found by walking a folder, not named: a file that turns out to hold no audio stream (a video-only .mkv) is
   * then skipped with a line saying so, where a file the user named is an error
   */
  walked?: boolean;
}

/**
 * What a batch has reached so far: the files (resolved path -> the name it was first given by) and the folders
 * walked. One per batch, shared by every call to discover (and by the rows of a manifest, through `repeatOf`):
 * a file reached twice, however it was named, is one recording, taken once.
 */
export class Reached {
  readonly files = new Map<string, string>();
  readonly folders = new Map<string, string>();
  /** what the batch does with a file, for the line about a repeat ("listed more than once …; analysed once") */
  constructor(readonly taken: 'analysed' | 'enqueued' = 'analysed') {}
  /**
   * Undefined the first time a file is reached (it is then recorded); after, why the repeat is skipped. Names
   * whose bytes are not UTF-8 read as U+FFFD: two different files may read the same, so they are never merged.
   */
  repeatOf(path: string, displayName: string): string | undefined {
    const key = resolve(path);
    if (key.includes('\ufffd')) return undefined;
    const first = this.files.get(key);
    if (first === undefined) {
      this.files.set(key, displayName);
      return undefined;
    }
    return `listed more than once (as ${first} before); ${this.taken} once`;
  }
}

export interface DiscoverOptions {
  /** told about every entry not taken and why (symlink loops, broken links, unreadable folders, repeats) */
  onSkip?: (path: string, reason: string) => void;
  /** what the batch has reached before this call (default: a fresh one, so this call alone is the batch) */
  reached?: Reached;
}

/**
 * Expand arguments into recordings: files as given, folders walked recursively (sorted, audio extensions
 * only, hidden entries skipped). Yields lazily, so a folder of thousands of files starts at once.
 *
 * Symbolic links are followed, to files and to folders (recordings are often organised by links into a
 * shared store). A linked folder already walked in this batch (a loop back to an ancestor, or two links to
 * one folder) is not walked again, and a broken link or an unreadable folder is skipped; each is told to
 * `onSkip` so the user hears about it rather than finding files silently missing. A file reached twice (the
 * same path named twice, or named and inside a folder also given) is taken once, and the second is told to `onSkip`.
 */
export async function* discover(args: readonly string[], opts: DiscoverOptions = {}): AsyncGenerator<FoundFile | { missing: string }> {
  const reached = opts.reached ?? new Reached();
  const walked = reached.folders;
  // a file reached twice (named twice, or named and inside a folder also given: calls/ calls/a.wav) is one
  // recording: analysed and reported once, not counted twice in the batch
  const once = (f: FoundFile): boolean => {
    const repeat = reached.repeatOf(f.path, f.displayName);
    if (repeat !== undefined) opts.onSkip?.(f.displayName, repeat);
    return repeat === undefined;
  };
  for (const arg of args) {
    let st;
    try {
      st = await stat(arg);
    } catch {
      yield { missing: arg };
      continue;
    }
    if (st.isDirectory()) {
      for await (const f of walk(arg, walked, opts)) if (once(f)) yield f;
    } else if (once({ path: arg, displayName: arg })) yield { path: arg, displayName: arg };
  }
}

async function* walk(dir: string, walked: Map<string, string>, opts: DiscoverOptions): AsyncGenerator<FoundFile> {
  let id: string;
  try {
    const st = await stat(dir);
    id = `${st.dev}:${st.ino}`;
  } catch (err) {
    opts.onSkip?.(dir, `cannot read folder (${(err as NodeJS.ErrnoException).code ?? String(err)})${notUtf8Note(dir)}`);
    return;
  }
  const seen = walked.get(id);
  if (seen !== undefined) {
    opts.onSkip?.(dir, `folder already walked as ${seen} (symbolic link loop or second link to it)`);
    return;
  }
  walked.set(id, dir);
  const names: { name: string; isDir: boolean }[] = [];
  try {
    const d = await opendir(dir);
    for await (const ent of d) {
      if (ent.name.startsWith('.')) continue;
      let isDir = ent.isDirectory();
      if (ent.isSymbolicLink()) {
        try {
          isDir = (await stat(join(dir, ent.name))).isDirectory();
        } catch (err) {
          opts.onSkip?.(join(dir, ent.name), `broken symbolic link (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
          continue;
        }
      }
      names.push({ name: ent.name, isDir });
    }
  } catch (err) {
    opts.onSkip?.(dir, `cannot read folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of names) {
    const p = join(dir, e.name);
    if (e.isDir) yield* walk(p, walked, opts);
    else if (AUDIO_EXTENSIONS.has(extname(e.name).toLowerCase())) yield { path: p, displayName: p, walked: true };
  }
}
