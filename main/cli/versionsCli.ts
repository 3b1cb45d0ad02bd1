/** What the versions commands share: their client, audit context, output and flags. */
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../s3/client';
import { userDataDir } from '../transfer/dataDir';
import { MAX_RESTORE_CONCURRENCY } from '../versions/applyPlan';
import { AuditLog, type AuditContext } from '../versions/audit';
import type { CONNECTION_OPTIONS, parse } from './args';
import { checksumOption } from './args';
import { cliConnection } from './connection';
import { UsageError } from './usage';

export type ConnectionValues = ReturnType<typeof parse<typeof CONNECTION_OPTIONS>>['values'];

export async function versionsClient(
  values: ConnectionValues,
  bucket: string,
  keysInFlight = 8,
): Promise<S3Client> {
  const connection = await cliConnection(values, { bucket });
  return createS3Client({
    ...connection.settings,
    checksumMode: checksumOption(values.checksum, connection.checksumMode),
    maxSockets: keysInFlight + 8,
  });
}

/** Every restore, undelete and delete from the command line is recorded, as in the app. */
export function auditFor(values: ConnectionValues): AuditContext {
  return {
    log: new AuditLog(path.join(userDataDir(), 'audit')),
    profile: values.profile ?? 'environment',
  };
}

/** Names the store for a resumable job, so that the same prefix on two stores never mixes. */
export function storeName(values: ConnectionValues): string {
  return `${values.profile ?? ''}|${values.endpoint ?? process.env.AWS_ENDPOINT_URL ?? ''}`;
}

export function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

export function concurrencyOption(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESTORE_CONCURRENCY) {
    throw new UsageError(
      `--concurrency takes a whole number from 1 to ${MAX_RESTORE_CONCURRENCY}, not "${text}"`,
    );
  }
  return n;
}

export function dateOption(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--${name} takes a date and time such as 2026-11-24T17:00:00Z, not "${text}"`,
    );
  }
  return date;
}

/**
 * Progress of many one-request steps: on a terminal one line rewritten in place on stderr, with
 * --json a `progress` object at most once a second, and nothing otherwise (the result lines say
 * it all).
 */
export class StepProgress {
  private readonly started = Date.now();
  private lastShown = 0;
  done = 0;
  failed = 0;

  constructor(
    private readonly total: number,
    private readonly json: boolean | undefined,
    private readonly verb: string,
  ) {}

  step(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    const now = Date.now();
    if (now - this.lastShown < 1000 && this.done < this.total) return;
    this.lastShown = now;
    if (this.json) print(true, { type: 'progress', ...this.figures() }, '');
    else if (process.stderr.isTTY) {
      const { done, total, perSecond } = this.figures();
      process.stderr.write(`\r${verb(this.verb)} ${done} of ${total} (${perSecond}/s)   `);
      if (done === total) process.stderr.write('\n');
    }
  }

  figures() {
    const seconds = (Date.now() - this.started) / 1000;
    return {
      done: this.done,
      total: this.total,
      failed: this.failed,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: seconds > 0 ? Math.round((this.done / seconds) * 10) / 10 : 0,
    };
  }
}

function verb(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
