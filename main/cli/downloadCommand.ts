import path from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ParseArgsConfig } from 'node:util';
import { createS3Client } from '../s3/client';
import { formatS3Uri } from '../s3/uri';
import { defaultCliJournalDir } from '../transfer/dataDir';
import { DownloadEngine } from '../transfer/download/engine';
import { DownloadJournal } from '../transfer/download/journal';
import { type DownloadSelection, planDownload } from '../transfer/download/planner';
import { httpStatusOf } from '../transfer/errors';
import { checksumOption, CONNECTION_OPTIONS, parse, s3Argument } from './args';
import { cliConnection } from './connection';
import { formatBytes } from './format';
import { JsonReporter, TextReporter } from './reporter';
import { UsageError } from './usage';

const DOWNLOAD_OPTIONS = {
  ...CONNECTION_OPTIONS,
  concurrency: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** A key names one object; a key ending in "/" (or one that is not an object) names a folder. */
async function selectionFor(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<DownloadSelection> {
  if (key === '' || key.endsWith('/')) return { bucket, keys: [], prefixes: [key] };
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { bucket, keys: [key], prefixes: [] };
  } catch (error) {
    if (httpStatusOf(error) !== 404) throw error;
    return { bucket, keys: [], prefixes: [`${key}/`] };
  }
}

/**
 * `bucketdrop download s3://bucket/key-or-prefix/ DIR`: a rerun with the same arguments resumes
 * the unfinished batch from the bytes already on disk instead of planning a new one.
 */
export async function download(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, DOWNLOAD_OPTIONS);
  if (positionals.length !== 2) {
    throw new UsageError('download takes one s3://bucket/key-or-prefix/ and a folder');
  }
  const location = s3Argument(positionals[0]!);
  const folder = path.resolve(positionals[1]!);
  const source = formatS3Uri(location.bucket, location.key);
  const concurrency = Number(values.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new UsageError(
      `--concurrency takes a whole number from 1 to 1000, not "${values.concurrency}"`,
    );
  }
  const connection = await cliConnection(values, { bucket: location.bucket });
  const client = createS3Client({
    ...connection.settings,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
    maxSockets: concurrency + 2,
  });
  const json = Boolean(values.json);
  const reporter = json
    ? new JsonReporter((line) => process.stdout.write(`${line}\n`))
    : new TextReporter(process.stdout, Boolean(process.stdout.isTTY));
  const journal = await DownloadJournal.open(
    path.join(values.journal ?? defaultCliJournalDir(), 'downloads'),
  );
  const engine = new DownloadEngine(async () => client, journal, { filesInFlight: concurrency });
  engine.on('progress', (snapshot) => reporter.progress(snapshot));
  const resumed = await engine.restore({
    only: (batch) => batch.source === source && batch.folder === folder,
  });
  if (resumed > 0) {
    reporter.info(`Resuming ${resumed} unfinished downloads of ${source} into ${folder}.`);
  } else {
    const planned = await planDownload(
      client,
      await selectionFor(client, location.bucket, location.key),
      folder,
    );
    for (const skipped of planned.skipped) {
      reporter.info(`Not downloading ${skipped.key}: ${skipped.reason}.`);
    }
    if (planned.plan.objects.length === 0) {
      process.stderr.write(
        `bucketdrop: nothing to download at ${source}: no such object, and no objects under it\n`,
      );
      await journal.close();
      return 1;
    }
    reporter.info(
      `${planned.plan.objects.length} objects, ${formatBytes(planned.totalBytes)} → ${folder}`,
    );
    await engine.enqueue({ ...planned.plan, source });
  }
  let interrupted: number | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (interrupted !== null) process.exit(interrupted);
    interrupted = signal === 'SIGINT' ? 130 : 143;
    reporter.info('Stopping. Partial files are kept: run the same command again to resume.');
    engine.pause();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await engine.whenIdle();
  const { overall } = engine.snapshot();
  const failed = engine.items().filter((item) => item.state === 'failed');
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        type: 'summary',
        ...overall,
        failed: failed.map(({ key, path: file, error }) => ({ key, path: file, error })),
        stats: engine.stats,
      })}\n`,
    );
  } else {
    process.stdout.write(
      `${overall.filesDone} downloaded, ${overall.filesFailed} failed (${formatBytes(overall.bytesDone)}, ${overall.retries} retries)` +
        `${failed.length ? '; the failures are listed above' : ''}\n`,
    );
  }
  await engine.shutdown();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (interrupted !== null) return interrupted;
  return failed.length > 0 ? 1 : 0;
}
