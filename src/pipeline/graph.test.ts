import { describe, expect, it } from 'vitest';
import { STAGES, stageByName } from './graph.js';
import { STAGE_NAMES } from './stage.js';

describe('the stage graph', () => {
  it('runs the stages STAGE_NAMES lists, in that order (the stage pool hands the runner references by these names)', () => {
    expect(STAGES.map((s) => s.name)).toEqual([...STAGE_NAMES]);
    for (const name of STAGE_NAMES) expect(stageByName(name)?.name).toBe(name);
    expect(stageByName('nope')).toBeUndefined();
  });
});
