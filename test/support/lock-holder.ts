/**
 * Child process for test/data-lock.test.ts: takes a data folder (argv[2]), writes one line to stdout
 * ("open <pid>" or "refused <message>"), then holds it until stdin closes or it is killed.
 * argv[3] = "lock-only": lockDataDir alone (fast; what `callqa serve` takes); "write": the real embedded
 * database open, plus one stored recording (to show whose writes land); nothing: the real open.
 */
import { lockDataDir, openStore } from '../../src/store/index.js';

const dir = process.argv[2];
const mode = process.argv[3];
try {
  let close: () => Promise<void> = async () => undefined;
  if (mode === 'lock-only') {
    lockDataDir(dir);
  } else {
    const store = await openStore({ dataDir: dir, databaseUrl: undefined });
    if (mode === 'write') {
      await store.repo.upsertRecording({ contentHash: `h${process.pid}`, path: `/x/${process.pid}.wav`, fileName: `${process.pid}.wav`, sizeBytes: 1 });
    }
    close = () => store.close();
  }
  process.stdout.write(`open ${process.pid}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void close().then(() => process.exit(0)));
} catch (err) {
  process.stdout.write(`refused ${(err as Error).message}\n`);
  process.exit(2);
}
