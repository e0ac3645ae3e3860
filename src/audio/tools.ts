import { createRequire } from 'node:module';
import { env } from '../config/env.js';
import { existsSync } from 'node:fs';

/**
 * Where the ffmpeg and ffprobe binaries are. Defaults: the npm-installed static builds
 * (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe); `FFMPEG_PATH` / `FFPROBE_PATH` override them
 * (a distro ffmpeg gets security fixes; the installer's ffmpeg is a 2018 static build).
 */
const require = createRequire(import.meta.url);

function fromInstaller(pkg: string): string | undefined {
  try {
    const p = (require(pkg) as { path: string }).path;
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

export function ffmpegPath(): string {
  return env().FFMPEG_PATH || fromInstaller('@ffmpeg-installer/ffmpeg') || 'ffmpeg';
}

export function ffprobePath(): string {
  return env().FFPROBE_PATH || fromInstaller('@ffprobe-installer/ffprobe') || 'ffprobe';
}
