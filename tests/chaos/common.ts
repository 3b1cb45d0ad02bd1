/**
 * Shared pieces of the fault-injection soak and the crash loop: a corpus of random files, a TCP
 * relay that follows the local S3 server across restarts, restarting that server, and the
 * independent end-state check (bytes, incomplete uploads, journal).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { readJournal } from '../../main/transfer/journal';
import { jsonLines, runCli } from '../support/cli';
import { mulberry32 } from '../support/faultProxy';
import { fileSha256, sha256, tempDir } from '../support/files';
import {
  REPO_ROOT,
  S3_DIR,
  allKeys,
  checkingClient,
  incompleteUploads,
  localS3,
  objectBytes,
} from '../support/s3env';

export const MiB = 1024 * 1024;
export const KiB = 1024;
export const PART_SIZE = 5 * MiB;

export type Log = (line: string) => void;

export interface CorpusFile {
  file: string;
  key: string;
  size: number;
}

export interface CorpusSpec {
  seed: number;
  bigFiles: number;
  bigSizeMiB: [number, number];
  smallFiles: number;
  smallSizeKiB: [number, number];
}

/**
 * Writes `bigFiles` multi-part files and `smallFiles` single-PUT files (sizes from the seed,
 * contents random) into a fresh folder; the keys are those of an upload of the folder to the
 * bucket's root, which puts the folder's own name first.
 */
export function writeCorpus(label: string, spec: CorpusSpec): { dir: string; files: CorpusFile[] } {
  const random = mulberry32(spec.seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const dir = path.join(tempDir(label), 'corpus');
  const files: CorpusFile[] = [];
  const add = (relative: string, size: number) => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(size));
    files.push({ file, key: `corpus/${relative}`, size });
  };
  for (let i = 0; i < spec.bigFiles; i++) {
    // Not a multiple of the part size, so the last part is short.
    add(`big/raw-${i}.tif`, between(spec.bigSizeMiB[0] * MiB, spec.bigSizeMiB[1] * MiB) + 123);
  }
  for (let i = 0; i < spec.smallFiles; i++) {
    add(
      `small/${String(i % 10)}/img-${i}.jpg`,
      between(spec.smallSizeKiB[0] * KiB, spec.smallSizeKiB[1] * KiB),
    );
  }
  return { dir, files };
}

/** The CLI flags both runs use: small parts, so that a modest corpus has many of them. */
export function cliFlags(
  options: { concurrency: number; partConcurrency: number },
  journal: string,
): string[] {
  return [
    '--part-size',
    '5M',
    '--multipart-threshold',
    '8M',
    '--concurrency',
    String(options.concurrency),
    '--part-concurrency',
    String(options.partConcurrency),
    '--json',
    '--journal',
    journal,
  ];
}

export function partCountOf(size: number): number {
  return Math.ceil(size / PART_SIZE);
}

export interface Relay {
  readonly url: string;
  /** Connections that found the server down (refused), i.e. seen during a restart. */
  readonly refused: number;
  close(): Promise<void>;
}

/**
 * A loopback TCP relay to wherever the local S3 server listens now: the endpoint is read from
 * `<S3_DIR>/env` for every new connection, so the fault proxy (whose target is fixed) keeps
 * working if a restart had to pick another port.
 */
export async function startRelay(): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  let refused = 0;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = net.createServer((client) => {
    track(client);
    let port: number;
    try {
      const target = new URL(localS3().endpoint);
      if (target.hostname !== '127.0.0.1') throw new Error(`not loopback: ${target.hostname}`);
      port = Number(target.port);
    } catch {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port });
    track(upstream);
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') refused++;
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('close', (hadError) => hadError && !client.destroyed && client.resetAndDestroy());
    client.on('close', (hadError) => hadError && upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs tests/s3-server/{start,stop}.sh on this run's data folder without blocking the loop. */
export function serverScript(name: 'start' | 'stop'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_ROOT, `tests/s3-server/${name}.sh`)], {
      env: { ...process.env, BUCKETDROP_S3_DIR: S3_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name}.sh exited with ${code}:\n${output}`)),
    );
  });
}

/** Stops the server and starts it again on the same data; resolves with the time it was down. */
export async function restartServer(): Promise<number> {
  const started = Date.now();
  await serverScript('stop');
  await serverScript('start');
  return Date.now() - started;
}

export interface RunStats {
  requestsRetried: number;
  partsUploaded: number;
  bytesSent: number;
  bytesResent: number;
}

export function emptyStats(): RunStats {
  return { requestsRetried: 0, partsUploaded: 0, bytesSent: 0, bytesResent: 0 };
}

/** Adds the stats of the `--json` summary line of a CLI run (none after a kill -9). */
export function addSummaryStats(total: RunStats, stdout: string): boolean {
  const summary = jsonLines(stdout).find((line) => line.type === 'summary');
  if (!summary) return false;
  const stats = summary.stats as RunStats;
  total.requestsRetried += stats.requestsRetried;
  total.partsUploaded += stats.partsUploaded;
  total.bytesSent += stats.bytesSent;
  total.bytesResent += stats.bytesResent;
  return true;
}

export interface Verification {
  objectsVerified: number;
  problems: string[];
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

/**
 * Checks the end state with a client of its own on the server's real endpoint: exactly the
 * corpus' keys, each byte for byte (sha256) equal to its file, no incomplete multipart upload,
 * an empty journal (`readJournal` and `status --json`).
 */
export async function verifyEndState(
  bucket: string,
  files: CorpusFile[],
  journalDir: string,
): Promise<Verification> {
  const s3 = localS3();
  const client: S3Client = checkingClient(s3);
  const problems: string[] = [];
  let objectsVerified = 0;
  try {
    const keys = await allKeys(client, bucket);
    const expected = files.map((f) => f.key).sort();
    const missing = expected.filter((key) => !keys.includes(key));
    const extra = keys.filter((key) => !expected.includes(key));
    if (missing.length > 0) problems.push(`missing objects: ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`unexpected objects: ${extra.join(', ')}`);
    const present = files.filter((f) => keys.includes(f.key));
    await mapLimit(present, 6, async (f) => {
      const actual = sha256(await objectBytes(client, bucket, f.key));
      if (actual === fileSha256(f.file)) objectsVerified++;
      else problems.push(`content differs: ${f.key}`);
    });
    const incomplete = await incompleteUploads(client, bucket);
    if (incomplete.length > 0) {
      problems.push(`incomplete multipart uploads left: ${incomplete.join(', ')}`);
    }
  } finally {
    client.destroy();
  }
  const journal = await readJournal(journalDir);
  if (journal.length > 0) {
    const unfinished = journal.flatMap((b) => b.items.filter((i) => !i.finished).map((i) => i.key));
    problems.push(
      `journal not empty: ${journal.length} batches, unfinished: ${unfinished.join(', ') || 'none'}`,
    );
  }
  const status = await runCli(['status', '--journal', journalDir, '--json'], s3.env);
  if (status.code !== 0 || status.stdout.trim() !== '') {
    problems.push(`status --json: exit ${status.code}, output ${JSON.stringify(status.stdout)}`);
  }
  return { objectsVerified, problems };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function formatMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}
