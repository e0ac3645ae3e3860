/**
 * Build whisper-cli now (CI setup, Dockerfile): `npx tsx src/transcribe/build-cli.ts`.
 * A no-op when it is already built; progress lines go to stderr. Same as `callqa models build`.
 */
import { errorMessage } from '../core/errors.js';
import { ensureWhisperCli, isWhisperCliBuilt, whisperCliPath } from './whisper-build.js';

const already = isWhisperCliBuilt();
try {
  const p = await ensureWhisperCli();
  process.stdout.write(already ? `whisper-cli already built: ${p}\n` : `whisper-cli ready: ${p}\n`);
} catch (err) {
  process.stderr.write(`whisper-cli build failed: ${errorMessage(err)} (expected at ${whisperCliPath()})\n`);
  process.exitCode = 1;
}
