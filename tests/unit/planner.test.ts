import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plan-'));
  const shoot = path.join(root, 'Shoot');
  mkdirSync(path.join(shoot, 'day 1', 'raw'), { recursive: true });
  writeFileSync(path.join(shoot, 'day 1', 'IMG_0001.jpg'), 'x'.repeat(10));
  writeFileSync(path.join(shoot, 'day 1', 'raw', 'IMG_0001.CR3'), 'y'.repeat(20));
  writeFileSync(path.join(shoot, 'Cafe\u0301.png'), 'z');
  writeFileSync(path.join(shoot, 'Caf\u00e9.png'), 'zz');
  writeFileSync(path.join(shoot, '.DS_Store'), '');
  writeFileSync(path.join(shoot, 'Thumbs.db'), '');
  writeFileSync(path.join(shoot, '._IMG_0001.jpg'), '');
  writeFileSync(path.join(shoot, 'empty.jpg'), '');
  symlinkSync(shoot, path.join(shoot, 'day 1', 'loop'));
  execFileSync('mkfifo', [path.join(shoot, 'pipe')]);
});

describe('planner', () => {
  it('keeps the dropped folder and its structure under the prefix', async () => {
    const plan = await planUpload([path.join(root, 'Shoot')], {
      bucket: 'b',
      prefix: 'clients/',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    const keys = plan.files.map((file) => file.key).sort();
    expect(keys).toContain('clients/Shoot/day 1/IMG_0001.jpg');
    expect(keys).toContain('clients/Shoot/day 1/raw/IMG_0001.CR3');
    expect(keys).toContain('clients/Shoot/empty.jpg');
    const raw = plan.files.find((file) => file.key.endsWith('.CR3'))!;
    expect(raw.contentType).toBe('image/x-canon-cr3');
    expect(raw.size).toBe(20);
  });

  it('explains every skipped file: junk, loops, non-files and Unicode clashes', async () => {
    const plan = await planUpload([path.join(root, 'Shoot')], {
      bucket: 'b',
      prefix: '',
      junkFilter: DEFAULT_JUNK_FILTER,
    });
    const reasons = Object.fromEntries(
      plan.skipped.map((s) => [path.relative(root, s.path), s.reason]),
    );
    expect(reasons['Shoot/.DS_Store']).toMatch(/system file/);
    expect(reasons['Shoot/Thumbs.db']).toMatch(/system file/);
    expect(reasons['Shoot/._IMG_0001.jpg']).toMatch(/resource fork/);
    expect(reasons['Shoot/day 1/loop']).toMatch(/loop/);
    expect(reasons['Shoot/pipe']).toMatch(/not a regular file/);
    const clash = plan.skipped.find((s) => /Unicode/.test(s.reason));
    expect(clash?.reason).toMatch(/Shoot\/Café\.png/);
    expect(plan.files.filter((f) => f.key === 'Shoot/Café.png')).toHaveLength(1);
    expect(plan.totalBytes).toBe(plan.files.reduce((sum, f) => sum + f.size, 0));
  });

  it('uploads junk too when the filter is off', async () => {
    const plan = await planUpload([path.join(root, 'Shoot', '.DS_Store')], {
      bucket: 'b',
      prefix: '',
      junkFilter: { ...DEFAULT_JUNK_FILTER, enabled: false },
    });
    expect(plan.files.map((f) => f.key)).toEqual(['.DS_Store']);
  });

  it('reports a missing path instead of failing the whole plan', async () => {
    const plan = await planUpload(
      [path.join(root, 'nope.jpg'), path.join(root, 'Shoot', 'empty.jpg')],
      {
        bucket: 'b',
        prefix: '',
        junkFilter: DEFAULT_JUNK_FILTER,
      },
    );
    expect(plan.files.map((f) => f.key)).toEqual(['empty.jpg']);
    expect(plan.skipped[0]?.reason).toMatch(/no longer exists/);
  });
});
