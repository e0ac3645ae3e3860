import { prng } from './prng.js';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes a whisper model in the legacy ggml format (what whisper.cpp's `whisper_model_load` reads) with
 * random weights and tiny dimensions. It cannot recognise anything, but whisper-cli loads it and decodes
 * real audio with it, so the binary, our invocation, the time map and the JSON parsing all run for real
 * in CI where no model can be downloaded.
 *
 * Facts this depends on (checked against whisper.cpp 1.9.1, src/whisper.cpp):
 *  - the vocabulary must contain " " (id 220, as in GPT-2's byte order) or blank suppression aborts;
 *  - weight matrices and conv kernels must be f16 (ftype 1): f32 aborts in im2col;
 *  - n_vocab 51864 = English-only layout (eot 50256, timestamps from 50364), the loader adds the specials;
 *  - n_audio_ctx must stay 1500 (30 s windows of 3000 mel frames / 2);
 *  - a small n_text_ctx bounds how much a random decoder can babble per window (n_max = ctx/2 - 4).
 */

export interface GgmlModelOptions {
  state?: number;
  textCtx?: number;
  seed?: number;
}

const GGML_MAGIC = 0x67676d6c;
const N_VOCAB = 51864;
const N_VOCAB_FILE = 50256;
const N_AUDIO_CTX = 1500;
const N_MELS = 80;
const N_FFT = 201;

/** float32 -> IEEE half (round to nearest), for the small magnitudes used here */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  let exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp <= 0) return sign; // flush tiny values to zero
  if (exp >= 31) return sign | 0x7c00;
  mant = mant + 0x1000; // round
  if (mant & 0x800000) {
    mant = 0;
    exp++;
    if (exp >= 31) return sign | 0x7c00;
  }
  return sign | (exp << 10) | (mant >>> 13);
}

/** GPT-2's byte -> token id order: printable bytes first, the rest (incl. space at 220) after. */
function byteTokenOrder(): number[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) bs.push(b);
  return bs;
}

const WORDS = [' hello', ' thank', ' you', ' account', ' bill', ' please', ' wait', ' yes', ' no', ' the', '您好', '请问', '账单', '谢谢', '好的', '嗯'];

function vocabulary(): Buffer[] {
  const out: Buffer[] = [];
  const order = byteTokenOrder();
  for (let id = 0; id < 256; id++) {
    const b = order[id];
    // printable ASCII and the space stay single bytes; other bytes would make invalid UTF-8 / control chars
    out.push(b === 0x20 || (b >= 0x21 && b <= 0x7e) ? Buffer.from([b]) : Buffer.from('~'));
  }
  for (let id = 256; id < N_VOCAB_FILE; id++) out.push(Buffer.from(WORDS[id % WORDS.length]));
  return out;
}

export async function writeRandomGgmlModel(file: string, opts: GgmlModelOptions = {}): Promise<void> {
  const state = opts.state ?? 64;
  const textCtx = opts.textCtx ?? 48;
  const rand = prng(opts.seed ?? 1234);
  const normal = () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  const ws = createWriteStream(file);
  const write = async (b: Buffer) => {
    if (!ws.write(b)) await once(ws, 'drain');
  };
  const i32 = (...vals: number[]) => {
    const b = Buffer.alloc(4 * vals.length);
    vals.forEach((v, i) => b.writeInt32LE(v, i * 4));
    return b;
  };

  await write(Buffer.concat([Buffer.from(new Uint32Array([GGML_MAGIC]).buffer)]));
  // n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head,
  // n_text_layer, n_mels, ftype (1 = mostly f16)
  await write(i32(N_VOCAB, N_AUDIO_CTX, state, 1, 1, textCtx, state, 1, 1, N_MELS, 1));

  // mel filter bank: triangular-ish filters so the features are not degenerate
  await write(i32(N_MELS, N_FFT));
  const filters = Buffer.alloc(N_MELS * N_FFT * 4);
  for (let m = 0; m < N_MELS; m++) {
    const centre = ((m + 1) / (N_MELS + 1)) * (N_FFT - 1);
    for (let k = 0; k < N_FFT; k++) filters.writeFloatLE(Math.max(0, 1 - Math.abs(k - centre) / 3), (m * N_FFT + k) * 4);
  }
  await write(filters);

  const vocab = vocabulary();
  await write(i32(vocab.length));
  for (const t of vocab) await write(Buffer.concat([i32(t.length), t]));

  const tensor = async (name: string, ne: number[], kind: 'f16' | 'f32', init: 'rand' | 'one' | 'zero') => {
    const n = ne.reduce((a, b) => a * b, 1);
    const nameBuf = Buffer.from(name);
    await write(Buffer.concat([i32(ne.length, nameBuf.length, kind === 'f16' ? 1 : 0), i32(...ne), nameBuf]));
    const value = () => (init === 'one' ? 1 : init === 'zero' ? 0 : normal() * 0.05);
    const chunk = 65536;
    for (let off = 0; off < n; off += chunk) {
      const len = Math.min(chunk, n - off);
      const b = Buffer.alloc(len * (kind === 'f16' ? 2 : 4));
      for (let i = 0; i < len; i++) {
        if (kind === 'f16') b.writeUInt16LE(toHalf(value()), i * 2);
        else b.writeFloatLE(value(), i * 4);
      }
      await write(b);
    }
  };

  const attn = async (prefix: string) => {
    await tensor(`${prefix}_ln.weight`, [state], 'f32', 'one');
    await tensor(`${prefix}_ln.bias`, [state], 'f32', 'zero');
    await tensor(`${prefix}.query.weight`, [state, state], 'f16', 'rand');
    await tensor(`${prefix}.query.bias`, [state], 'f32', 'zero');
    await tensor(`${prefix}.key.weight`, [state, state], 'f16', 'rand');
    await tensor(`${prefix}.value.weight`, [state, state], 'f16', 'rand');
    await tensor(`${prefix}.value.bias`, [state], 'f32', 'zero');
    await tensor(`${prefix}.out.weight`, [state, state], 'f16', 'rand');
    await tensor(`${prefix}.out.bias`, [state], 'f32', 'zero');
  };
  const mlp = async (prefix: string) => {
    await tensor(`${prefix}.mlp_ln.weight`, [state], 'f32', 'one');
    await tensor(`${prefix}.mlp_ln.bias`, [state], 'f32', 'zero');
    await tensor(`${prefix}.mlp.0.weight`, [state, 4 * state], 'f16', 'rand');
    await tensor(`${prefix}.mlp.0.bias`, [4 * state], 'f32', 'zero');
    await tensor(`${prefix}.mlp.2.weight`, [4 * state, state], 'f16', 'rand');
    await tensor(`${prefix}.mlp.2.bias`, [state], 'f32', 'zero');
  };

  await tensor('encoder.positional_embedding', [state, N_AUDIO_CTX], 'f32', 'rand');
  await tensor('encoder.conv1.weight', [3, N_MELS, state], 'f16', 'rand');
  await tensor('encoder.conv1.bias', [1, state], 'f32', 'zero');
  await tensor('encoder.conv2.weight', [3, state, state], 'f16', 'rand');
  await tensor('encoder.conv2.bias', [1, state], 'f32', 'zero');
  await tensor('encoder.ln_post.weight', [state], 'f32', 'one');
  await tensor('encoder.ln_post.bias', [state], 'f32', 'zero');
  await mlp('encoder.blocks.0');
  await attn('encoder.blocks.0.attn');

  await tensor('decoder.positional_embedding', [state, textCtx], 'f32', 'rand');
  await tensor('decoder.token_embedding.weight', [state, N_VOCAB], 'f16', 'rand');
  await tensor('decoder.ln.weight', [state], 'f32', 'one');
  await tensor('decoder.ln.bias', [state], 'f32', 'zero');
  await mlp('decoder.blocks.0');
  await attn('decoder.blocks.0.attn');
  await attn('decoder.blocks.0.cross_attn');

  ws.end();
  await once(ws, 'finish');
}
