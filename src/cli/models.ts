import { Command } from 'commander';
import Table from 'cli-table3';
import {
  DEFAULT_MODEL,
  downloadModel,
  listModels,
  MODEL_APPROX_MIB,
  MODEL_NAMES,
  modelPath,
  modelsDir,
  modelUrl,
} from '../transcribe/models.js';
import { isWhisperCliBuilt, ensureWhisperCli, whisperCliPath, whisperCppVersion } from '../transcribe/whisper-build.js';

/**
 * `callqa models list | download <name> | build`: whisper model files and the whisper-cli binary.
 */

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('whisper speech-recognition models and the whisper-cli binary')
    .addHelpText(
      'after',
      `
Models are ggml files kept in ${modelsDir()} (set CALLQA_MODELS_DIR to keep them elsewhere).
Names: ${MODEL_NAMES.join(', ')} (".en" = English-only; default ${DEFAULT_MODEL}).
Pick one per pipeline (asr.model) or per run (callqa analyze --model small).
Without a model, analysis still runs; calls just get no transcript.`,
    );

  models
    .command('list')
    .description('show the known models, whether each is present, its size and path')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Shows each known model name, whether its file is in the models folder, its size (or the approximate
download size when absent) and its path, then where whisper-cli is. The default model is ${DEFAULT_MODEL}.`,
    )
    .action((opts: { json?: boolean }) => {
      const rows = listModels();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ modelsDir: modelsDir(), whisperCli: { path: whisperCliPath(), built: isWhisperCliBuilt() }, models: rows }, null, 2)}\n`);
        return;
      }
      const table = new Table({ head: ['model', 'present', 'size', 'path'], style: { head: [], border: [] } });
      for (const m of rows) {
        table.push([
          m.name + (m.name === DEFAULT_MODEL ? ' (default)' : ''),
          m.present ? 'yes' : 'no',
          m.sizeBytes !== null ? mib(m.sizeBytes) : `~${MODEL_APPROX_MIB[m.name]} MiB`,
          m.path,
        ]);
      }
      process.stdout.write(`${table.toString()}\n`);
      process.stdout.write(
        `whisper-cli: ${isWhisperCliBuilt() ? whisperCliPath() : `not built yet (built on first use, or now with: callqa models build)`}\n`,
      );
      if (!rows.some((r) => r.present)) {
        process.stdout.write(`no model present: run callqa models download ${DEFAULT_MODEL}, or copy ggml-${DEFAULT_MODEL}.bin into ${modelsDir()}\n`);
      }
    });

  models
    .command('download')
    .description('download a model from Hugging Face (ggerganov/whisper.cpp) into the models folder')
    .argument('<name>', `one of: ${MODEL_NAMES.join(', ')}`)
    .option('--force', 'download again even if the file is present')
    .option('--mirror <url>', 'base URL of a mirror holding the ggml-<name>.bin files')
    .addHelpText(
      'after',
      `
The file is written to a temporary name, checked (length, format, SHA-1) and only then renamed into place.
Where this machine has no internet access, download the file elsewhere, e.g.
  ${modelUrl(DEFAULT_MODEL)}
and copy it to ${modelPath(DEFAULT_MODEL)}.`,
    )
    .action(async (name: string, opts: { force?: boolean; mirror?: string }) => {
      const tty = process.stderr.isTTY;
      let lastPct = -1;
      let lastLog = 0;
      const target = await downloadModel(name, {
        force: opts.force,
        baseUrl: opts.mirror,
        onProgress: (done, total) => {
          const pct = total ? Math.floor((done / total) * 100) : -1;
          const now = Date.now();
          if (tty) {
            if (pct !== lastPct) process.stderr.write(`\rdownloading ${name}: ${total ? `${pct}% of ${mib(total)}` : mib(done)}`);
          } else if (now - lastLog > 5000) {
            process.stderr.write(`downloading ${name}: ${total ? `${pct}% of ${mib(total)}` : mib(done)}\n`);
            lastLog = now;
          }
          lastPct = pct;
        },
      });
      if (tty && lastPct >= 0) process.stderr.write('\n');
      process.stdout.write(`model ${name} ready: ${target}\n`);
    });

  models
    .command('build')
    .description('build whisper-cli now from the whisper.cpp sources bundled with nodejs-whisper (else built on first use)')
    .option('-j, --jobs <n>', 'parallel compile jobs', '2')
    .addHelpText(
      'after',
      `
Needs cmake and a C++ compiler (Debian: apt-get install cmake g++). Takes a couple of minutes on 2 cores;
compiler progress is printed as it goes. Does nothing when whisper-cli is already built.
CALLQA_WHISPER_CLI=<path> uses an existing binary instead; CALLQA_WHISPER_BUILD_DIR chooses the build folder;
CALLQA_WHISPER_CMAKE_ARGS adds cmake options (e.g. -DGGML_NATIVE=OFF for a portable binary).`,
    )
    .action(async (opts: { jobs: string }) => {
      if (isWhisperCliBuilt()) {
        process.stdout.write(`whisper-cli already built (whisper.cpp ${whisperCppVersion() ?? '?'}): ${whisperCliPath()}\n`);
        return;
      }
      const jobs = Number(opts.jobs);
      const p = await ensureWhisperCli({ jobs: Number.isInteger(jobs) && jobs > 0 ? jobs : 2 });
      process.stdout.write(`whisper-cli ready: ${p}\n`);
    });
}
