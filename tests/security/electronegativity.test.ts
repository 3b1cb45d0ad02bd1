import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/files';
import { REPO_ROOT } from '../support/s3env';

describe('#13 item 15: an Electronegativity justification covers only the line it was written for', () => {
  it('fails on a new openExternal in a file that already has a justified one', () => {
    const sources = tempDir('electronegativity');
    for (const part of ['main', 'preload', 'renderer/src', 'renderer/index.html', 'security']) {
      cpSync(path.join(REPO_ROOT, part), path.join(sources, part), { recursive: true });
    }
    const file = path.join(sources, 'main', 'app', 'security.ts');
    const newLine = readFileSync(file, 'utf8').split('\n').length + 2;
    appendFileSync(
      file,
      '\nexport function openAnything(target: string): void {\n  void shell.openExternal(target);\n}\n',
    );
    const run = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'scripts', 'electronegativity.mjs'), sources],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    expect(run.status).toBe(1);
    const reported = run.stderr.split('\n').filter((line) => line.startsWith('electronegativity:'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain(`OPEN_EXTERNAL_JS_CHECK at main/app/security.ts:${newLine}:`);
  });
});
