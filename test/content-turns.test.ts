/** ContentTurns: byte-identical files in a batch take turns in the batch's order (analyze --jobs). Pure, no I/O. */
import { describe, expect, it } from 'vitest';
import { ContentTurns } from '../src/pipeline/runner.js';

describe('ContentTurns', () => {
  it('same content runs in batch order whatever order the files hashed in; other content does not wait', async () => {
    const turns = new ContentTurns();
    const order: string[] = [];
    const run = async (i: number, key: string, hashDelay: number) => {
      await new Promise((r) => setTimeout(r, hashDelay));
      const end = await turns.take(i, key);
      order.push(`${i}:${key}`);
      await new Promise((r) => setImmediate(r));
      end();
    };
    // 2 hashes first, 0 last: the turns still go 0 before 2 on the same content
    await Promise.all([run(0, 'a', 30), run(1, 'b', 10), run(2, 'a', 0)]);
    expect(order.filter((x) => x.endsWith(':a'))).toEqual(['0:a', '2:a']);
    expect(order).toContain('1:b');
  });

  it('a call with nothing to declare lets the later ones go on', async () => {
    const turns = new ContentTurns();
    const later = turns.take(1, 'a');
    turns.none(0);
    (await later)();
  });

  it('declaring twice throws, and leaves no turn behind that would hold later calls forever', async () => {
    const turns = new ContentTurns();
    (await turns.take(0, 'a'))();
    await expect(turns.take(0, 'a')).rejects.toThrow(/content turn 0 declared twice/);
    const next = await Promise.race([turns.take(1, 'a'), new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 2_000))]);
    expect(next).not.toBe('stuck');
  });
});
