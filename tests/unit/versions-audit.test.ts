import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/versions/audit';
import { tempDir } from '../support/files';

describe('AuditLog', () => {
  it('keeps concurrent records whole and skips a torn last line', async () => {
    const log = new AuditLog(tempDir('audit-unit'));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        log.record({
          operation: 'restore',
          profile: 'p',
          bucket: 'b',
          key: `k${i}`,
          result: 'ok',
        }),
      ),
    );
    appendFileSync(log.file, '{"time":"2026-');
    const entries = await log.entries();
    expect(entries.map((e) => e.key)).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
  });

  it('exports CSV with quoting and without spreadsheet formulas', async () => {
    const log = new AuditLog(tempDir('audit-unit-csv'));
    await log.record({
      time: '2026-01-01T00:00:00.000Z',
      operation: 'delete',
      profile: 'p',
      bucket: 'b',
      key: '=HYPERLINK("x")',
      fromVersion: '1.2',
      result: 'failed',
      detail: 'line one\nline two',
    });
    expect(await log.exportCsv()).toBe(
      'time,operation,profile,bucket,key,fromVersion,toVersion,result,detail\r\n' +
        `2026-01-01T00:00:00.000Z,delete,p,b,"'=HYPERLINK(""x"")",1.2,,failed,"line one\nline two"\r\n`,
    );
    expect(JSON.parse(await log.exportJson())).toEqual(await log.entries());
  });

  it('reads an absent log as empty', async () => {
    expect(await new AuditLog(tempDir('audit-unit-none')).entries()).toEqual([]);
  });
});
