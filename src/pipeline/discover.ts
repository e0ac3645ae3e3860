import { opendir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Extensions taken when walking a folder. Files named explicitly are always tried, whatever their name. */
export const AUDIO_EXTENSIONS = new Set([
  '.wav', '.wave', '.mp3', '.ogg', '.opus', '.oga', '.m4a', '.mp4', '.aac', '.flac', '.amr', '.awb', '.gsm', '.wma', '.webm', '.au', '.aif', '.aiff', '.caf', '.sln', '.ulaw', '.alaw',
]);

export interface FoundFile {
  /** path to read */
  path: string;
  /** as given by the user (for a walked folder: the folder as given joined with the relative path) */
  displayName: string;
}

/**
 * Expand arguments into recordings: files as given, folders walked recursively (sorted, audio extensions
 * only, hidden entries skipped). Yields lazily, so a folder of thousands of files starts at once.
 */
export async function* discover(args: readonly string[]): AsyncGenerator<FoundFile | { missing: string }> {
  for (const arg of args) {
    let st;
    try {
      st = await stat(arg);
    } catch {
      yield { missing: arg };
      continue;
    }
    if (st.isDirectory()) yield* walk(arg);
    else yield { path: arg, displayName: arg };
  }
}

async function* walk(dir: string): AsyncGenerator<FoundFile> {
  const names: { name: string; isDir: boolean }[] = [];
  const d = await opendir(dir);
  for await (const ent of d) {
    if (ent.name.startsWith('.')) continue;
    names.push({ name: ent.name, isDir: ent.isDirectory() });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of names) {
    const p = join(dir, e.name);
    if (e.isDir) yield* walk(p);
    else if (AUDIO_EXTENSIONS.has(extname(e.name).toLowerCase())) yield { path: p, displayName: p };
  }
}
