import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeServer } from '../support/fakeHttp';
import { REPO_ROOT } from '../support/s3env';

/** Runs the test command's audit step with npm pointed at a registry of the test's making. */
async function auditAgainst(answer: (url: string) => { status: number; body: unknown }) {
  const registry = await startFakeServer((request, response) => {
    const { status, body } = answer(request.url);
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  try {
    // Asynchronous, so that the fake registry in this process can answer.
    return await new Promise<{ status: number | null; output: string }>((resolve) => {
      const run = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'audit.mjs')], {
        cwd: REPO_ROOT,
        env: { ...process.env, npm_config_registry: `${registry.url}/` },
      });
      let output = '';
      run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      run.on('close', (status) => resolve({ status, output }));
    });
  } finally {
    await registry.close();
  }
}

describe('npm audit --omit=dev in the test command', () => {
  it('fails on a critical advisory for a production dependency, naming it', async () => {
    const run = await auditAgainst((url) =>
      url.includes('/security/advisories/bulk')
        ? {
            status: 200,
            body: {
              zod: [
                {
                  id: 1,
                  url: 'https://example.invalid/advisory/1',
                  title: 'Planted test advisory',
                  severity: 'critical',
                  vulnerable_versions: '<999.0.0',
                  cwe: [],
                  cvss: { score: 9.8, vectorString: null },
                },
              ],
            },
          }
        : { status: 404, body: {} },
    );
    expect(run.output).toContain('critical advisory for zod: Planted test advisory');
    expect(run.status).toBe(1);
  });

  it('passes, saying so, where the registry has no audit endpoint', async () => {
    const run = await auditAgainst(() => ({ status: 405, body: {} }));
    expect(run.output).toContain('npm audit --omit=dev: skipped');
    expect(run.status).toBe(0);
  });
});
