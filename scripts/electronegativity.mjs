/**
 * Runs Electronegativity over the app's own sources (main, preload, renderer) and fails on any
 * finding of medium severity or above that security/electronegativity-justified.json does not
 * justify, and on any justification no longer needed, so the file stays true.
 *
 * A justification names the check, the file and the SHA-256 of the flagged line (trimmed), and
 * covers that one finding only: a new finding in the same file, or an edit of the justified
 * line, fails until someone reviews it and records its hash (printed with the failure).
 *
 * Usage: node scripts/electronegativity.mjs [sources folder, default: this repository]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const sources = path.resolve(process.argv[2] ?? root);
const BLOCKING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') field += text[++i];
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',' || char === '\n') {
      row.push(field.trim());
      field = '';
      if (char === '\n') {
        rows.push(row);
        row = [];
      }
    } else if (char !== '\r') {
      field += char;
    }
  }
  if (field || row.length) rows.push([...row, field.trim()]);
  return rows;
}

// Tests hold fake BrowserWindows on purpose; the scan covers only what ships.
const stage = mkdtempSync(path.join(tmpdir(), 'bucketdrop-electronegativity-'));
try {
  for (const part of ['main', 'preload', 'renderer/src', 'renderer/index.html']) {
    cpSync(path.join(sources, part), path.join(stage, part), { recursive: true });
  }
  const electronVersion = JSON.parse(
    readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
  ).version;
  const report = path.join(stage, 'findings.csv');
  execFileSync(
    path.join(root, 'node_modules', '.bin', 'electronegativity'),
    ['-i', stage, '-r', '-e', electronVersion, '-v', 'false', '-o', report],
    { stdio: 'ignore', timeout: 300_000 },
  );
  const [header, ...rows] = parseCsv(readFileSync(report, 'utf8'));
  const column = (name) => header.indexOf(name);
  const lineHash = (file, location) => {
    const lineNumber = Number.parseInt(location.split(':')[0], 10);
    const line = readFileSync(path.join(stage, file), 'utf8').split('\n')[lineNumber - 1] ?? '';
    return createHash('sha256').update(line.trim()).digest('hex');
  };
  const findings = rows
    .filter((row) => BLOCKING.has(row[column('severity')]))
    .map((row) => ({
      check: row[column('issue')],
      file: row[column('filename')],
      location: row[column('location')],
      description: row[column('description')],
      lineSha256: lineHash(row[column('filename')], row[column('location')]),
    }));
  const justified = JSON.parse(
    readFileSync(path.join(sources, 'security', 'electronegativity-justified.json'), 'utf8'),
  );
  // One justification covers one finding: the same line flagged twice needs two entries.
  const unused = [...justified];
  const unjustified = findings.filter((finding) => {
    const index = unused.findIndex(
      (entry) =>
        entry.check === finding.check &&
        entry.file === finding.file &&
        entry.lineSha256 === finding.lineSha256,
    );
    if (index < 0) return true;
    unused.splice(index, 1);
    return false;
  });
  const stale = unused;
  for (const finding of unjustified) {
    console.error(
      `electronegativity: ${finding.check} at ${finding.file}:${finding.location}: ${finding.description} (line sha256 ${finding.lineSha256})`,
    );
  }
  for (const entry of stale) {
    console.error(
      `electronegativity: ${entry.check} in ${entry.file} (line sha256 ${entry.lineSha256}) is justified but no longer found; remove it from security/electronegativity-justified.json`,
    );
  }
  if (unjustified.length > 0 || stale.length > 0) process.exit(1);
  console.log(
    `electronegativity (Electron ${electronVersion}): ${findings.length} medium+ finding(s), all justified in security/electronegativity-justified.json`,
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
