import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { createS3Client } from '../s3/client';
import { formatS3Uri } from '../s3/uri';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../transfer/conflicts';
import { defaultCliJournalDir } from '../transfer/dataDir';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings, TransferEngine } from '../transfer/engine';
import { describeS3Error } from '../transfer/errors';
import { inspectJournal, type Journal, type JournalProblem } from '../transfer/journal';
import { intentFor } from '../transfer/batchPlanning';
import { DEFAULT_JUNK_FILTER } from '../transfer/junk';
import { prefixWarnings } from '../transfer/keys';
import { abortOrphanUploads } from '../transfer/orphans';
import { MIN_PART_SIZE, parseSize } from '../transfer/partSizing';
import { planUpload, type SkippedFile } from '../transfer/planner';
import { type CliConnection, cliConnection } from './connection';
import { formatBytes, parseDuration } from './format';
import { profiles } from './profilesCommand';
import { JsonReporter, type Reporter, TextReporter } from './reporter';
import { checksumOption, CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { USAGE, UsageError } from './usage';
import { restorePrefix } from './restorePrefixCommand';
import { undeleteCommand } from './undeleteCommand';
import { restore, versions } from './versionsCommands';
import { presignCommand, rm } from './browseCommands';
import { download } from './downloadCommand';
import { preflightOptions, UPLOAD_OPTION_FLAGS, uploadOptionsFrom } from './uploadOptionArgs';
import { makeBucket } from './bucketCommands';
import { applyDetectedChecksumMode } from './checksumDefault';
import {
  checkBucket,
  checkedSizes,
  EXIT,
  openJournalFolder,
  SetupError,
  typedPrefix,
  uploadExitCode,
  withinMemoryBudget,
} from './uploadChecks';

const TRANSFER_OPTIONS = {
  ...CONNECTION_OPTIONS,
  concurrency: { type: 'string' },
  'part-concurrency': { type: 'string' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  'on-conflict': { type: 'string' },
  'include-junk': { type: 'boolean' },
  'follow-links': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

type TransferValues = {
  [K in keyof typeof TRANSFER_OPTIONS]?: (typeof TRANSFER_OPTIONS)[K]['type'] extends 'string'
    ? string
    : boolean;
};

function positiveInteger(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new UsageError(`--${flag} takes a whole number from 1 to 1000, not "${text}"`);
  }
  return value;
}

function sizeOption(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  try {
    return parseSize(text);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
}

function engineSettings(values: TransferValues, connection: CliConnection): EngineSettings {
  const partSize = sizeOption(values['part-size'], 'part-size', DEFAULT_ENGINE_SETTINGS.partSize);
  if (partSize < MIN_PART_SIZE) {
    throw new UsageError(`--part-size must be at least 5M: S3 rejects smaller parts`);
  }
  const onConflict = values['on-conflict'] ?? DEFAULT_ENGINE_SETTINGS.onConflict;
  if (!CONFLICT_POLICIES.includes(onConflict as ConflictPolicy)) {
    throw new UsageError(`--on-conflict takes overwrite, skip or rename, not "${onConflict}"`);
  }
  const settings: EngineSettings = {
    ...DEFAULT_ENGINE_SETTINGS,
    filesInFlight: positiveInteger(
      values.concurrency,
      'concurrency',
      DEFAULT_ENGINE_SETTINGS.filesInFlight,
    ),
    partsInFlight: positiveInteger(
      values['part-concurrency'],
      'part-concurrency',
      DEFAULT_ENGINE_SETTINGS.partsInFlight,
    ),
    partSize,
    multipartThreshold: sizeOption(
      values['multipart-threshold'],
      'multipart-threshold',
      DEFAULT_ENGINE_SETTINGS.multipartThreshold,
    ),
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
    onConflict: onConflict as ConflictPolicy,
  };
  checkedSizes(settings);
  return settings;
}

function clientFor(connection: CliConnection, settings: EngineSettings): S3Client {
  return createS3Client({
    ...connection.settings,
    checksumMode: settings.checksumMode,
    maxSockets: settings.partsInFlight + settings.filesInFlight,
  });
}

function reporterFor(values: TransferValues): Reporter {
  return values.json
    ? new JsonReporter((line) => process.stdout.write(`${line}\n`))
    : new TextReporter(process.stdout, Boolean(process.stdout.isTTY));
}

/** After a stop, the process ends within this long whatever a transfer is still doing. */
const STOP_GRACE_MS = 3_000;

/**
 * Runs the engine until idle; a signal pauses everything so the journal can resume it.
 * `skipped` are the files planning left out: counted in the summary and the exit code.
 */
async function drive(
  engine: TransferEngine,
  reporter: Reporter,
  skipped: SkippedFile[] = [],
): Promise<number> {
  engine.on('progress', (snapshot) => reporter.progress(snapshot));
  let interrupted: number | null = null;
  // process.exit would wait for a file-system call stuck in a thread-pool thread; the signal's
  // default action does not. The journal is synced record by record, so nothing is lost.
  const dieBy = (signal: NodeJS.Signals) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.kill(process.pid, signal);
  };
  const stop = (signal: NodeJS.Signals) => {
    if (interrupted !== null) return dieBy(signal);
    interrupted = signal === 'SIGINT' ? 130 : 143;
    reporter.info('Stopping. Unfinished uploads are kept: run `bucketdrop resume` to continue.');
    engine.pause();
    setTimeout(() => dieBy(signal), STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await engine.whenIdle();
  const { overall } = engine.snapshot();
  const failed = engine.items().filter((item) => item.state === 'failed');
  // Only expired credentials pause an item on their own; the journal keeps it for `resume`.
  const paused = interrupted === null ? engine.items().filter((i) => i.state === 'paused') : [];
  for (const item of paused) {
    reporter.info(`${item.path}: ${item.error ?? 'paused'} Run \`bucketdrop resume\` to go on.`);
  }
  reporter.summary(overall, failed, engine.stats, skipped);
  await engine.shutdown();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (interrupted !== null) return interrupted;
  return uploadExitCode(failed.length + paused.length, skipped);
}

function journalDir(values: TransferValues): string {
  return values.journal ?? defaultCliJournalDir();
}

function openJournal(values: TransferValues, reporter: Reporter): Promise<Journal> {
  return openJournalFolder(journalDir(values), { onWait: (message) => reporter.info(message) });
}

function reportProblems(problems: JournalProblem[]): void {
  for (const problem of problems) process.stderr.write(`bucketdrop: ${problem.message}\n`);
}

async function upload(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...TRANSFER_OPTIONS, ...UPLOAD_OPTION_FLAGS });
  if (positionals.length < 2) {
    throw new UsageError('upload needs at least one file or folder and an s3://bucket/prefix/');
  }
  const destination = s3Argument(positionals[positionals.length - 1]!);
  const paths = positionals.slice(0, -1);
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`no such file or folder: ${path}`);
  }
  const prefix = typedPrefix(destination.key);
  const connection = await cliConnection(values, { bucket: destination.bucket });
  const reporter = reporterFor(values);
  const settings = withinMemoryBudget(engineSettings(values, connection), (message) =>
    reporter.info(message),
  );
  const uploadOptions = uploadOptionsFrom(values);
  // The bucket and the journal folder first: each is one clear error before anything is sent.
  await checkBucket(clientFor(connection, settings), destination.bucket);
  const journal = await openJournal(values, reporter);
  const checksumNote = await applyDetectedChecksumMode(
    settings,
    connection,
    values.checksum,
    journalDir(values),
    destination.bucket,
  );
  if (checksumNote) reporter.info(checksumNote);
  const client = clientFor(connection, settings);
  const refusal = await preflightOptions(client, destination.bucket, uploadOptions, (message) =>
    reporter.info(message),
  );
  if (refusal) {
    await journal.close();
    process.stderr.write(`bucketdrop: ${refusal}\n`);
    return 1;
  }
  const engine = new TransferEngine(client, journal, settings);
  const overrides = uploadOptions ? { upload: uploadOptions } : {};
  let skipped: SkippedFile[];
  try {
    // Journaled before the walk: a crash while listing a big folder leaves a batch to resume.
    const includeJunk = Boolean(values['include-junk']);
    const followOutsideLinks = Boolean(values['follow-links']);
    const batchId = await engine.begin(
      destination.bucket,
      intentFor(paths, prefix, includeJunk, followOutsideLinks),
      overrides,
    );
    reporter.info(`Batch ${batchId} journaled: listing the files to upload.`);
    const plan = await planUpload(paths, {
      bucket: destination.bucket,
      prefix,
      junkFilter: { ...DEFAULT_JUNK_FILTER, enabled: !includeJunk },
      followOutsideLinks,
    });
    reporter.plan(plan);
    for (const warning of [...prefixWarnings(prefix), ...plan.warnings]) {
      reporter.info(`Warning: ${warning}.`);
    }
    skipped = plan.skipped;
    const items = await engine.writePlan(batchId, plan);
    await engine.enqueuePlanned(batchId, plan.bucket, items, overrides);
  } catch (error) {
    await engine.shutdown();
    throw error;
  }
  return drive(engine, reporter, skipped);
}

async function resume(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, TRANSFER_OPTIONS);
  if (positionals.length > 0) throw new UsageError('resume takes no arguments');
  const connection = await cliConnection(values);
  const reporter = reporterFor(values);
  const settings = withinMemoryBudget(engineSettings(values, connection), (message) =>
    reporter.info(message),
  );
  const engine = new TransferEngine(
    clientFor(connection, settings),
    await openJournal(values, reporter),
    settings,
  );
  const batches = await engine.restore();
  const problems = engine.journalProblems();
  reportProblems(problems);
  const preparing = batches.filter((batch) => batch.intent).length;
  const pending = engine.items().length - preparing;
  reporter.info(
    pending + preparing === 0
      ? 'Nothing to resume.'
      : `Resuming ${pending} unfinished files from ${batches.length} batches` +
          (preparing > 0 ? `, ${preparing} of them interrupted while preparing.` : '.'),
  );
  const code = await drive(engine, reporter);
  // A journal refused as too new is work left undone: say so in the exit code too.
  return code === 0 && problems.some((p) => p.kind === 'newer-version') ? 1 : code;
}

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, CONNECTION_OPTIONS);
  if (positionals.length > 0) throw new UsageError('status takes no arguments');
  const { batches, problems } = await inspectJournal(journalDir(values));
  reportProblems(problems);
  const unfinished = batches.map((batch) => {
    const items = batch.items.filter((item) => !item.finished);
    return {
      batch: batch.id,
      bucket: batch.bucket,
      createdAt: batch.createdAt,
      preparing: Boolean(batch.intent),
      items: items.map((item) => ({
        path: item.path,
        key: item.key,
        size: item.size,
        partsDone: item.upload?.parts.size ?? 0,
        uploadId: item.upload?.uploadId ?? null,
        lastError: item.lastError ?? null,
      })),
    };
  });
  if (values.json) {
    for (const batch of unfinished) process.stdout.write(`${JSON.stringify(batch)}\n`);
    return 0;
  }
  if (unfinished.length === 0) process.stdout.write('Nothing unfinished.\n');
  for (const batch of unfinished) {
    const bytes = batch.items.reduce((sum, item) => sum + item.size, 0);
    process.stdout.write(
      `Batch ${batch.batch} (${batch.createdAt}) → s3://${batch.bucket}: ${batch.items.length} files, ${formatBytes(bytes)} unfinished${batch.preparing ? ', interrupted while preparing (resume lists the folders again)' : ''}\n`,
    );
    for (const item of batch.items) {
      const parts = item.uploadId ? `, ${item.partsDone} parts uploaded` : '';
      const error = item.lastError ? ` (last error: ${item.lastError})` : '';
      process.stdout.write(`  ${item.path} → ${item.key}${parts}${error}\n`);
    }
  }
  return 0;
}

async function ls(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    recursive: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('ls takes one s3://bucket/prefix/');
  const location = s3Argument(positionals[0]!);
  const connection = await cliConnection(values, { bucket: location.bucket });
  const client = clientFor(connection, {
    ...DEFAULT_ENGINE_SETTINGS,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
  });
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: location.bucket,
        Prefix: location.key,
        // Recursive lists every key under the prefix, without folding sub-folders.
        ...(values.recursive ? {} : { Delimiter: '/' }),
        ContinuationToken,
      }),
    );
    for (const prefix of page.CommonPrefixes ?? []) {
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ type: 'prefix', key: prefix.Prefix })}\n`
          : `${'PRE'.padStart(12)}  ${''.padEnd(24)}  ${prefix.Prefix}\n`,
      );
    }
    for (const object of page.Contents ?? []) {
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ type: 'object', key: object.Key, size: object.Size, lastModified: object.LastModified, etag: object.ETag, storageClass: object.StorageClass })}\n`
          : `${String(object.Size ?? 0).padStart(12)}  ${(object.LastModified?.toISOString() ?? '').padEnd(24)}  ${object.Key}\n`,
      );
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return 0;
}

async function abortIncomplete(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_OPTIONS,
    'older-than': { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new UsageError('abort-incomplete takes one s3://bucket/prefix/');
  }
  const location = s3Argument(positionals[0]!);
  let olderThanMs: number | undefined;
  if (values['older-than'] !== undefined) {
    try {
      olderThanMs = parseDuration(values['older-than']);
    } catch (error) {
      throw new UsageError(`--older-than: ${(error as Error).message}`);
    }
  }
  const journaled = new Set<string>();
  const { batches, problems } = await inspectJournal(journalDir(values));
  const newer = problems.filter((problem) => problem.kind === 'newer-version');
  if (newer.length > 0) {
    // Its upload IDs cannot be read here: they would look like orphans and be aborted.
    reportProblems(newer);
    return 1;
  }
  for (const batch of batches) {
    for (const item of batch.items) if (item.upload) journaled.add(item.upload.uploadId);
  }
  const connection = await cliConnection(values, { bucket: location.bucket });
  const client = clientFor(connection, {
    ...DEFAULT_ENGINE_SETTINGS,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
  });
  const sweep = await abortOrphanUploads(client, location.bucket, location.key, {
    journaledUploadIds: journaled,
    ...(olderThanMs !== undefined ? { olderThanMs } : {}),
  });
  for (const upload of sweep.aborted) {
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ type: 'aborted', ...upload })}\n`
        : `aborted ${formatS3Uri(location.bucket, upload.key)} (upload ${upload.uploadId})\n`,
    );
  }
  if (!values.json) {
    process.stdout.write(
      `${sweep.aborted.length} incomplete uploads aborted, ${sweep.kept.length} kept.\n`,
    );
  }
  return 0;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  upload,
  resume,
  status,
  ls,
  'abort-incomplete': abortIncomplete,
  profiles,
  versions,
  restore,
  undelete: undeleteCommand,
  'restore-prefix': restorePrefix,
  presign: presignCommand,
  rm,
  download,
  mb: makeBucket,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bucketdrop: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usageOrSkipped;
    }
    if (error instanceof SetupError) {
      process.stderr.write(`bucketdrop: ${error.message}\n`);
      return EXIT.usageOrSkipped;
    }
    process.stderr.write(`bucketdrop: ${describeS3Error(error)}\n`);
    return 1;
  }
}
