import { describe, expect, it } from 'vitest';
import { diskFullAdvice, postgresFullWhat } from './analyze.js';

describe('a PostgreSQL server out of room (SQLSTATE 53100)', () => {
  // the server's own words for each, as publicError keeps them (no statement, no values)
  const disk = Object.assign(new Error('database error 53100: could not extend file "base/16384/16522": No space left on device'), { code: '53100' });
  const shm = Object.assign(new Error('database error 53100: could not resize shared memory segment "/PostgreSQL.1804289383" to 8388608 bytes: No space left on device'), { code: '53100' });

  it('its disk: free space on it', () => {
    expect(postgresFullWhat(disk)).toBe("the PostgreSQL server's disk");
    expect(diskFullAdvice(postgresFullWhat(disk))).toBe("free space on the PostgreSQL server's disk");
  });

  it('its shared memory (a container with the default 64 MB /dev/shm): more shared memory, not disk space', () => {
    expect(postgresFullWhat(shm)).toBe("the PostgreSQL server's shared memory (/dev/shm)");
    const advice = diskFullAdvice(postgresFullWhat(shm));
    expect(advice).toMatch(/shared memory/);
    expect(advice).toMatch(/--shm-size/);
    expect(advice).not.toMatch(/free space/);
  });
});
