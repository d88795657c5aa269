import { describe, expect, it } from 'vitest';
import { problemCatalogue } from '../src/errors.ts';
import { toProblem } from '../src/plugins/problems.ts';

describe('storage trouble is a 503, not an internal error', () => {
  it.each([
    [{ code: '53100', message: 'could not extend file "base/5/16414": No space left on device' }],
    [{ code: '58030', message: 'could not write to file: Input/output error' }],
    [{ code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' }],
    [{ code: 'EROFS', message: 'EROFS: read-only file system, open' }],
    [new Error('could not create file "pg_wal/xlogtemp.1": Read-only file system')],
  ])('%o → STORAGE_UNAVAILABLE', (error) => {
    const problem = toProblem(error);
    expect(problem.code).toBe('STORAGE_UNAVAILABLE');
    expect(problem.status).toBe(503);
    expect(problemCatalogue.STORAGE_UNAVAILABLE.title).toContain('nothing was changed');
  });

  it('leaves other failures internal', () => {
    expect(toProblem(new Error('boom')).code).toBe('INTERNAL');
  });
});
