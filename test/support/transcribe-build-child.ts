/** Child process for test/transcribe-build.test.ts: ensure whisper-cli, echo build lines, print the result. */
import { ensureWhisperCli } from '../../src/transcribe/whisper-build.js';

const tag = process.argv[2] ?? 'child';
const p = await ensureWhisperCli({ onLine: (l) => process.stdout.write(`${tag}: ${l}\n`) });
process.stdout.write(`${tag}: DONE ${p}\n`);
