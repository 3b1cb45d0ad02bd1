// `npm run bench`: bucketdrop against rclone, the AWS CLI and a single presigned curl PUT, on the
// local Swift S3 server. Environment: BENCH_RUNS (default 3), and for exploration only
// BENCH_SETS (small,big), BENCH_TOOLS (bucketdrop,rclone,aws-cli,ceiling) and
// BENCH_BUCKETDROP_ARGS (extra CLI flags); an exploratory run does not replace latest.json.
// Then the point-in-time restore figures (restore.ts; BENCH_RESTORE_KEYS, 0 skips them).
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { freshBucket, localS3, REPO_ROOT, S3_DIR, type LocalS3 } from '../support/s3env';
import { ensureCorpus, type Corpus } from './corpus';
import { capture, cpuCounters, GNU_TIME, killRunning, measure, type Measured } from './measure';
import { benchPointInTimeRestore, restoreReport } from './restore';
import { benchClient, bucketContents, dropBucket, presignedPut, type BucketContents } from './s3';

// The bench's own SDK clients would warn about Node 20 on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const RESULTS_DIR = path.join(REPO_ROOT, 'bench-results');
const CORPUS_DIR = path.join(RESULTS_DIR, 'corpus');
const CLI = path.join(REPO_ROOT, 'dist/cli/bucketdrop.mjs');
const RUN_TIMEOUT_MS = 20 * 60_000;
const MB = 1e6;
const RSS_LIMIT_MB = 200;
// Share of the machine's CPU that unrelated processes may take before a run counts as noisy.
const NOISY_SHARE = 0.1;

const SET_IDS = ['small', 'big'] as const;
const TOOL_IDS = ['bucketdrop', 'rclone', 'aws-cli', 'ceiling'] as const;
type SetId = (typeof SET_IDS)[number];
type ToolId = (typeof TOOL_IDS)[number];

// The same shape as bucketdrop's defaults: 4 files, 8 parts of 8 MiB in flight.
const RCLONE_FLAGS = ['--transfers', '4', '--s3-upload-concurrency', '8', '--s3-chunk-size', '8M'];
// Its defaults (10 requests in flight, 8 MiB parts from 8 MiB); only the per-file lines go.
const AWS_FLAGS = ['--only-show-errors'];
// No `Expect: 100-continue` round trip before the body: the ceiling is the best single stream.
const CURL_FLAGS = ['-sS', '--fail', '-H', 'Expect:', '-o', '/dev/null'];

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

function listEnv<T extends string>(name: string, allowed: readonly T[]): T[] {
  const text = process.env[name];
  if (text === undefined || text === '') return [...allowed];
  const values = text.split(',').map((value) => value.trim());
  const unknown = values.filter((value) => !allowed.includes(value as T));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')}`);
  return allowed.filter((value) => values.includes(value));
}

const RUNS = intEnv('BENCH_RUNS', 3, 1, 20);
const SETS = listEnv('BENCH_SETS', SET_IDS);
const TOOLS = listEnv('BENCH_TOOLS', TOOL_IDS);
const BUCKETDROP_EXTRA = (process.env.BENCH_BUCKETDROP_ARGS ?? '').split(/\s+/).filter(Boolean);
const EXPLORATORY =
  SETS.length < SET_IDS.length || TOOLS.length < TOOL_IDS.length || BUCKETDROP_EXTRA.length > 0;

interface Source {
  set: SetId;
  label: string;
  path: string;
  files: number;
  bytes: number;
}

interface Tool {
  id: ToolId;
  sets: readonly SetId[];
  /** What is passed besides source and destination, as recorded in the results. */
  flags: string[];
  argv(source: Source, bucket: string, scratch: string): Promise<string[]>;
}

interface RunRecord {
  order: number;
  set: SetId;
  tool: ToolId;
  run: number;
  files: number;
  bytes: number;
  bucket: string;
  argv: string[];
  ok: boolean;
  problem?: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  wallSeconds: number;
  userSeconds: number;
  sysSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  filesPerSecond: number;
  megabytesPerSecond: number;
  /** CPU the S3 server used during the run. */
  serverCpuSeconds: number;
  /** CPU of everything else on the machine during the run: high values mean a noisy run. */
  otherCpuSeconds: number;
  noisy: boolean;
  landed: BucketContents;
  stderrTail?: string;
  stdoutTail?: string;
}

interface Summary {
  set: SetId;
  tool: ToolId;
  runs: number;
  runsOk: number;
  medianWallSeconds: number;
  medianFilesPerSecond: number;
  medianMegabytesPerSecond: number;
  maxPeakRssMegabytes: number;
  medianCpuSeconds: number;
  cpuSecondsPerGigabyte: number;
  medianServerCpuSeconds: number;
  medianOtherCpuSeconds: number;
  noisyRuns: number;
}

interface Target {
  name: string;
  value: number;
  limit: number;
  status: 'PASS' | 'MISS' | 'n/a';
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function rate(value: number): string {
  return fixed(value, value < 10 ? 2 : 1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function quietly(argv: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await capture(argv, env)).trim();
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]})`;
  }
}

/** The baselines are Debian's rclone and AWS CLI: installed here, since nothing else needs them. */
async function installBaselines(): Promise<void> {
  const packages = [
    ...(TOOLS.includes('rclone') ? ['rclone'] : []),
    ...(TOOLS.includes('aws-cli') ? ['awscli'] : []),
    ...(TOOLS.includes('ceiling') ? ['curl'] : []),
  ];
  if (packages.length === 0) return;
  await capture(['bash', path.join(REPO_ROOT, 'tests/s3-server/apt-install.sh'), ...packages]);
}

/** Starts the local server; true when this run started it (and so must stop it). */
async function startServer(): Promise<boolean> {
  const out = await capture(['bash', path.join(REPO_ROOT, 'tests/s3-server/start.sh')]);
  log(out.trim());
  return !out.includes('already running');
}

async function stopServer(): Promise<void> {
  log((await capture(['bash', path.join(REPO_ROOT, 'tests/s3-server/stop.sh')])).trim());
}

/**
 * One environment for every tool: the local server's keys and nothing from the user's AWS or
 * rclone setup. AWS_CA_BUNDLE in particular breaks rclone 1.60 even over plain http.
 */
function toolEnv(s3: LocalS3): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|RCLONE_)/.test(name) && !/_proxy$/i.test(name)) env[name] = value;
  }
  return {
    ...env,
    ...s3.env,
    AWS_DEFAULT_REGION: s3.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ENDPOINT: s3.endpoint,
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: s3.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: s3.secretAccessKey,
    RCLONE_CONFIG_BENCH_REGION: s3.region,
  };
}

function tools(s3: LocalS3, client: S3Client): Tool[] {
  const all: Tool[] = [
    {
      id: 'bucketdrop',
      sets: SET_IDS,
      flags: ['--journal', '<empty temp dir>', ...BUCKETDROP_EXTRA],
      argv: async (source, bucket, scratch) => [
        process.execPath,
        CLI,
        'upload',
        source.path,
        `s3://${bucket}/bucketdrop/`,
        '--journal',
        path.join(scratch, 'journal'),
        ...BUCKETDROP_EXTRA,
      ],
    },
    {
      id: 'rclone',
      sets: SET_IDS,
      flags: ['--config', '/dev/null', ...RCLONE_FLAGS],
      argv: async (source, bucket) => [
        '/usr/bin/rclone',
        '--config',
        '/dev/null',
        'copy',
        source.path,
        `bench:${bucket}/rclone`,
        ...RCLONE_FLAGS,
      ],
    },
    {
      id: 'aws-cli',
      sets: SET_IDS,
      flags: ['--endpoint-url', s3.endpoint, ...AWS_FLAGS],
      argv: async (source, bucket) => [
        '/usr/bin/aws',
        's3',
        'cp',
        ...(source.set === 'small' ? ['--recursive'] : []),
        source.path,
        `s3://${bucket}/aws-cli/`,
        '--endpoint-url',
        s3.endpoint,
        ...AWS_FLAGS,
      ],
    },
    {
      id: 'ceiling',
      sets: ['big'],
      flags: [...CURL_FLAGS, '-T', '<file>', '<presigned PUT URL, UNSIGNED-PAYLOAD>'],
      argv: async (source, bucket) => [
        '/usr/bin/curl',
        ...CURL_FLAGS,
        '-T',
        source.path,
        await presignedPut(client, bucket, `ceiling/${path.basename(source.path)}`),
      ],
    },
  ];
  return all.filter((tool) => TOOLS.includes(tool.id));
}

/** Reads every corpus file once, so no tool pays for a cold page cache. */
async function warmCache(corpus: Corpus): Promise<number> {
  const started = performance.now();
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  const files = [...corpus.photos.map((file) => path.join(corpus.root, file.path)), corpus.bigFile];
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      while ((await handle.read(buffer, 0, buffer.length)).bytesRead > 0);
    } finally {
      await handle.close();
    }
  }
  return (performance.now() - started) / 1000;
}

/** Swift updates listings asynchronously; give it a few seconds to catch up with a finished run. */
async function settledContents(
  client: S3Client,
  bucket: string,
  source: Source,
): Promise<BucketContents> {
  let contents = await bucketContents(client, bucket);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (contents.objects === source.files && contents.bytes === source.bytes) break;
    await sleep(1000);
    contents = await bucketContents(client, bucket);
  }
  return contents;
}

function problemOf(measured: Measured, landed: BucketContents, source: Source): string | undefined {
  if (measured.timedOut) return `timed out after ${RUN_TIMEOUT_MS / 60_000} min`;
  if (measured.exitCode !== 0) return `exit ${measured.exitCode ?? measured.signal}`;
  if (landed.objects !== source.files || landed.bytes !== source.bytes) {
    return `bucket holds ${landed.objects} objects / ${landed.bytes} B, expected ${source.files} / ${source.bytes}`;
  }
  if (landed.incompleteUploads > 0) return `${landed.incompleteUploads} incomplete uploads left`;
  return undefined;
}

function summarize(runs: RunRecord[]): Summary[] {
  const summaries: Summary[] = [];
  for (const set of SET_IDS) {
    for (const tool of TOOL_IDS) {
      const mine = runs.filter((run) => run.set === set && run.tool === tool);
      if (mine.length === 0) continue;
      const ok = mine.filter((run) => run.ok);
      const cpu = median(ok.map((run) => run.cpuSeconds));
      summaries.push({
        set,
        tool,
        runs: mine.length,
        runsOk: ok.length,
        medianWallSeconds: median(ok.map((run) => run.wallSeconds)),
        medianFilesPerSecond: median(ok.map((run) => run.filesPerSecond)),
        medianMegabytesPerSecond: median(ok.map((run) => run.megabytesPerSecond)),
        maxPeakRssMegabytes: ok.length ? Math.max(...ok.map((run) => run.peakRssBytes / MB)) : NaN,
        medianCpuSeconds: cpu,
        cpuSecondsPerGigabyte: cpu / (mine[0]!.bytes / 1e9),
        medianServerCpuSeconds: median(ok.map((run) => run.serverCpuSeconds)),
        medianOtherCpuSeconds: median(ok.map((run) => run.otherCpuSeconds)),
        noisyRuns: mine.filter((run) => run.noisy).length,
      });
    }
  }
  return summaries;
}

function ratios(summaries: Summary[]) {
  const rows = [];
  for (const set of SET_IDS) {
    const ours = summaries.find((s) => s.set === set && s.tool === 'bucketdrop');
    if (!ours) continue;
    for (const other of summaries.filter((s) => s.set === set && s.tool !== 'bucketdrop')) {
      rows.push({
        set,
        versus: other.tool,
        throughput: ours.medianMegabytesPerSecond / other.medianMegabytesPerSecond,
        cpu: ours.medianCpuSeconds / other.medianCpuSeconds,
        peakRss: ours.maxPeakRssMegabytes / other.maxPeakRssMegabytes,
      });
    }
  }
  return rows;
}

function targets(summaries: Summary[]): Target[] {
  const find = (set: SetId, tool: ToolId) =>
    summaries.find((s) => s.set === set && s.tool === tool && s.runsOk > 0);
  const atLeast = (name: string, value: number | undefined, limit: number): Target => ({
    name,
    value: value ?? NaN,
    limit,
    status:
      value === undefined || !Number.isFinite(value) ? 'n/a' : value >= limit ? 'PASS' : 'MISS',
  });
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a / b;
  const smallOurs = find('small', 'bucketdrop');
  const bigOurs = find('big', 'bucketdrop');
  const rss = bigOurs?.maxPeakRssMegabytes;
  return [
    atLeast(
      'small files: bucketdrop files/s >= 1.5x rclone',
      ratio(smallOurs?.medianFilesPerSecond, find('small', 'rclone')?.medianFilesPerSecond),
      1.5,
    ),
    atLeast(
      '2 GiB file: bucketdrop MB/s >= 1.3x rclone',
      ratio(bigOurs?.medianMegabytesPerSecond, find('big', 'rclone')?.medianMegabytesPerSecond),
      1.3,
    ),
    atLeast(
      '2 GiB file: bucketdrop MB/s >= 0.75x ceiling',
      ratio(bigOurs?.medianMegabytesPerSecond, find('big', 'ceiling')?.medianMegabytesPerSecond),
      0.75,
    ),
    {
      name: `2 GiB file: bucketdrop peak RSS <= ${RSS_LIMIT_MB} MB`,
      value: rss ?? NaN,
      limit: RSS_LIMIT_MB,
      status: rss === undefined ? 'n/a' : rss <= RSS_LIMIT_MB ? 'PASS' : 'MISS',
    },
  ];
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function machineInfo() {
  const cpus = os.cpus();
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      kernel: `${os.type()} ${os.release()}`,
      os: await quietly(['sh', '-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
      node: process.version,
      loadAverageAtStart: os.loadavg(),
    },
    versions: {
      bucketdrop: `${pkg.version} (${await quietly(['git', '-C', REPO_ROOT, 'describe', '--always', '--dirty'])})`,
      rclone: (await quietly(['/usr/bin/rclone', 'version'])).split('\n')[0],
      awsCli: await quietly(['/usr/bin/aws', '--version']),
      curl: (await quietly(['/usr/bin/curl', '--version'])).split('\n')[0],
      swift: await quietly(['dpkg-query', '-W', '-f', '${Version}', 'swift']),
      gnuTime: (await quietly([GNU_TIME, '--version'])).split('\n')[0],
    },
  };
}

async function bench(isInterrupted: () => boolean): Promise<number> {
  const startedAt = new Date();
  log('building the CLI ...');
  await capture([process.execPath, path.join(REPO_ROOT, 'scripts/build-cli.mjs')]);
  await mkdir(RESULTS_DIR, { recursive: true });
  const corpus = await ensureCorpus(CORPUS_DIR, log);
  log(
    `corpus: ${corpus.photos.length} photos, ${fixed(corpus.photoBytes / MB, 0)} MB` +
      ` + ${fixed(corpus.bigBytes / MB, 0)} MB file` +
      (corpus.reused ? ' (reused)' : ` (generated in ${fixed(corpus.generateSeconds, 1)} s)`),
  );
  const warmSeconds = await warmCache(corpus);
  log(`page cache warmed in ${fixed(warmSeconds, 1)} s`);

  const s3 = localS3();
  if (new URL(s3.endpoint).hostname !== '127.0.0.1') {
    throw new Error(`the bench only talks to 127.0.0.1, not ${s3.endpoint}`);
  }
  const serverPids = (await readFile(path.join(S3_DIR, 's3-server.pid'), 'utf8'))
    .split('\n')
    .map((line) => Number(line.split(' ')[1]))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
  const client = benchClient(s3);
  const env = toolEnv(s3);
  const info = await machineInfo();
  const allTools = tools(s3, client);
  const sources: Source[] = [
    {
      set: 'small' as const,
      label: `${corpus.photos.length} photos`,
      path: corpus.photosDir,
      files: corpus.photos.length,
      bytes: corpus.photoBytes,
    },
    {
      set: 'big' as const,
      label: '2 GiB file',
      path: corpus.bigFile,
      files: 1,
      bytes: corpus.bigBytes,
    },
  ].filter((source) => SETS.includes(source.set));
  if (EXPLORATORY) log('EXPLORATORY run (filtered sets/tools or extra bucketdrop flags)');

  const runs: RunRecord[] = [];
  for (const source of sources) {
    const setTools = allTools.filter((tool) => tool.sets.includes(source.set));
    for (let run = 1; run <= RUNS; run++) {
      // Round-robin, so drift (server state, thermal, neighbours) spreads over every tool.
      for (const tool of setTools) {
        if (isInterrupted()) throw new Error('interrupted');
        const bucket = await freshBucket(client, `bench-${source.set}-${tool.id}`);
        const scratch = await mkdtemp(path.join(os.tmpdir(), 'bucketdrop-bench-'));
        const argv = await tool.argv(source, bucket, scratch);
        // Flush the previous run's writes so they do not compete with this one's.
        await capture(['sync']);
        const before = await cpuCounters(serverPids);
        const measured = await measure(argv, { env, cwd: REPO_ROOT, timeoutMs: RUN_TIMEOUT_MS });
        const after = await cpuCounters(serverPids);
        const serverCpuSeconds = after.serverSeconds - before.serverSeconds;
        const cpuSeconds = measured.userSeconds + measured.sysSeconds;
        const otherCpuSeconds = Math.max(
          0,
          after.machineSeconds - before.machineSeconds - serverCpuSeconds - cpuSeconds,
        );
        const landed = await settledContents(client, bucket, source);
        await dropBucket(client, bucket);
        await rm(scratch, { recursive: true, force: true });
        const problem = problemOf(measured, landed, source);
        const record: RunRecord = {
          order: runs.length + 1,
          set: source.set,
          tool: tool.id,
          run,
          files: source.files,
          bytes: source.bytes,
          bucket,
          argv: tool.id === 'ceiling' ? [...argv.slice(0, -1), '<presigned URL>'] : argv,
          ok: problem === undefined,
          ...(problem ? { problem } : {}),
          exitCode: measured.exitCode,
          signal: measured.signal,
          timedOut: measured.timedOut,
          wallSeconds: measured.wallSeconds,
          userSeconds: measured.userSeconds,
          sysSeconds: measured.sysSeconds,
          cpuSeconds,
          peakRssBytes: measured.peakRssBytes,
          filesPerSecond: source.files / measured.wallSeconds,
          megabytesPerSecond: source.bytes / MB / measured.wallSeconds,
          serverCpuSeconds,
          otherCpuSeconds,
          noisy: otherCpuSeconds > NOISY_SHARE * measured.wallSeconds * os.cpus().length,
          landed,
          ...(problem ? { stdoutTail: measured.stdoutTail, stderrTail: measured.stderrTail } : {}),
        };
        runs.push(record);
        log(
          `[${source.set} ${run}/${RUNS}] ${tool.id.padEnd(10)} ${fixed(record.wallSeconds, 2).padStart(7)} s` +
            ` ${rate(record.filesPerSecond).padStart(7)} files/s` +
            ` ${fixed(record.megabytesPerSecond, 1).padStart(6)} MB/s` +
            ` rss ${fixed(record.peakRssBytes / MB, 0).padStart(4)} MB` +
            ` cpu ${fixed(record.cpuSeconds, 1).padStart(5)} s` +
            ` server ${fixed(record.serverCpuSeconds, 1).padStart(5)} s` +
            ` other ${fixed(record.otherCpuSeconds, 1).padStart(4)} s` +
            ` ${problem ? `FAILED: ${problem}\n${measured.stderrTail.slice(-2000)}` : 'ok'}` +
            (record.noisy ? ' (noisy)' : ''),
        );
      }
    }
  }

  const summaries = summarize(runs);
  const ratioRows = ratios(summaries);
  const targetRows = targets(summaries);
  const setLabel = (set: SetId) => sources.find((source) => source.set === set)!.label;
  log('');
  log(
    `Medians of ${RUNS} runs per tool (MB = 10^6 bytes; peak RSS is the max over runs; ` +
      `${info.machine.cpus} CPUs shared with the server; other CPU: unrelated processes)`,
  );
  log(
    table(
      [
        'set',
        'tool',
        'ok',
        'wall s',
        'files/s',
        'MB/s',
        'peak RSS MB',
        'CPU s',
        'CPU s/GB',
        'server CPU s',
        'other CPU s',
        'noisy',
      ],
      summaries.map((s) => [
        setLabel(s.set),
        s.tool,
        `${s.runsOk}/${s.runs}`,
        fixed(s.medianWallSeconds, 2),
        rate(s.medianFilesPerSecond),
        fixed(s.medianMegabytesPerSecond, 1),
        fixed(s.maxPeakRssMegabytes, 0),
        fixed(s.medianCpuSeconds, 1),
        fixed(s.cpuSecondsPerGigabyte, 2),
        fixed(s.medianServerCpuSeconds, 1),
        fixed(s.medianOtherCpuSeconds, 1),
        `${s.noisyRuns}/${s.runs}`,
      ]),
    ),
  );
  log('');
  log(
    table(
      ['set', 'bucketdrop vs', 'throughput x', 'CPU s x', 'peak RSS x'],
      ratioRows.map((r) => [
        setLabel(r.set),
        r.versus,
        fixed(r.throughput, 2),
        fixed(r.cpu, 2),
        fixed(r.peakRss, 2),
      ]),
    ),
  );
  if (summaries.some((s) => s.noisyRuns > 0)) {
    log(
      `noisy: runs in which unrelated processes used more than ${NOISY_SHARE * 100}% of the ` +
        'machine; their numbers say more about the neighbours than about the tool',
    );
  }
  log('');
  for (const target of targetRows) {
    log(
      `${target.status.padEnd(4)}  ${target.name}: ${fixed(target.value, 2)} (limit ${target.limit})`,
    );
  }

  const restoreKeys = intEnv('BENCH_RESTORE_KEYS', 10_000, 0, 1_000_000);
  const restore =
    restoreKeys > 0 && !isInterrupted()
      ? await benchPointInTimeRestore(s3, restoreKeys, log)
      : undefined;
  if (restore) for (const line of ['', ...restoreReport(restore)]) log(line);

  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    exploratory: EXPLORATORY,
    runsPerTool: RUNS,
    order: 'per set, round-robin over the tools in the order listed, one fresh bucket per run',
    ...info,
    server: { endpoint: s3.endpoint, kind: 'OpenStack Swift s3api (tests/s3-server)' },
    measurement: {
      wall: 'hrtime around the GNU time child',
      cpuAndPeakRss: `${GNU_TIME} -f "%e %U %S %M" (rusage of the tool process)`,
      outsideTiming: 'bucket creation, presigning, sync, listing check, deleting the objects',
      pageCache: `every corpus file read once before the runs (${fixed(warmSeconds, 1)} s)`,
      serverAndOtherCpu:
        '/proc/<server pid>/stat and /proc/stat before and after; other = machine - server - tool',
    },
    tools: Object.fromEntries(
      allTools.map((tool) => [tool.id, { flags: tool.flags, sets: tool.sets }]),
    ),
    toolEnvironment: {
      removed:
        'AWS_*, RCLONE_* and *_proxy from the calling environment (AWS_CA_BUNDLE breaks rclone 1.60)',
      added: [
        'AWS_ENDPOINT_URL, AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY',
        'AWS_CONFIG_FILE=/dev/null, AWS_SHARED_CREDENTIALS_FILE=/dev/null',
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true',
        'RCLONE_CONFIG_BENCH_{TYPE=s3,PROVIDER=Other,ENDPOINT,ACCESS_KEY_ID,SECRET_ACCESS_KEY,REGION}',
      ],
    },
    corpus: {
      root: corpus.root,
      specHash: corpus.specHash,
      photos: corpus.photos.length,
      photoBytes: corpus.photoBytes,
      bigFileBytes: corpus.bigBytes,
      reused: corpus.reused,
      generateSeconds: corpus.generateSeconds,
    },
    summary: summaries,
    ratios: ratioRows,
    targets: targetRows,
    runs,
    ...(restore && { pointInTimeRestore: restore }),
  };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const file = path.join(
    RESULTS_DIR,
    `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await writeFile(file, json);
  if (!EXPLORATORY) await writeFile(path.join(RESULTS_DIR, 'latest.json'), json);
  log('');
  log(
    `results: ${path.relative(REPO_ROOT, file)}${EXPLORATORY ? '' : ' and bench-results/latest.json'}`,
  );
  return runs.every((run) => run.ok) && (restore?.verified ?? true) ? 0 : 1;
}

async function main(): Promise<number> {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    killRunning();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await installBaselines();
  const startedServer = await startServer();
  try {
    return await bench(() => interrupted);
  } finally {
    if (startedServer) await stopServer();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
