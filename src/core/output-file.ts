import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './errors.js';

/**
 * Why a file named for output (`--json`, `--out`, `--csv`) cannot be written: the option, the path and the reason
 * in words ("no such folder calls/out", "it is a folder"), as a ConfigError (exit 2), instead of Node's bare
 * "ENOENT: no such file or directory, open '…'" or an error code alone.
 */
export function cannotWrite(option: string, path: string, what: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? `no such folder ${dirname(resolve(path))}`
      : code === 'ENOTDIR'
        ? `a part of ${dirname(resolve(path))} is a file, not a folder`
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : code === 'EROFS'
                ? 'read-only file system'
                : err instanceof Error
                  ? err.message
                  : String(err);
  return new ConfigError(`${option} ${path}: cannot write ${what}: ${why}`);
}

/** Write a whole output file, or throw cannotWrite(). */
export function writeOutputFile(option: string, path: string, what: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw cannotWrite(option, path, what, err);
  }
}
