/**
 * Short-lived credentials that expire during a long upload. Swift has no STS, so the fault proxy
 * plays the part of the server's token check: it answers ExpiredToken to any request signed with
 * a session token past its lifetime, and passes the rest on to the real local server.
 */
import path from 'node:path';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../main/s3/client';
import { TransferEngine, type ClientResolver } from '../../main/transfer/engine';
import { Journal } from '../../main/transfer/journal';
import { DEFAULT_JUNK_FILTER } from '../../main/transfer/junk';
import { planUpload } from '../../main/transfer/planner';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../support/faultProxy';
import { sha256, tempDir, writeRandomFile } from '../support/files';
import {
  checkingClient,
  freshBucket,
  incompleteUploads,
  localS3,
  objectBytes,
} from '../support/s3env';

const MiB = 1024 * 1024;
const PART_SIZE = 5 * MiB;
const FILE_SIZE = 40 * MiB;
const PART_COUNT = FILE_SIZE / PART_SIZE;
/** The SDK renews credentials once they are this close to their expiration. */
const SDK_REFRESH_WINDOW_MS = 5 * 60_000;

let s3: ReturnType<typeof localS3>;
let client: S3Client;
let proxy: FaultProxy;
/** When each session token stops being accepted. */
const tokenExpiry = new Map<string, number>();

beforeAll(async () => {
  s3 = localS3();
  client = checkingClient(s3);
  proxy = await startFaultProxy(s3.endpoint);
});

afterAll(() => proxy.close());
afterEach(() => {
  proxy.clearRules();
  tokenExpiry.clear();
});

function credentialsWithToken(token: string, expiration?: Date): AwsCredentialIdentity {
  return {
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    sessionToken: token,
    ...(expiration && { expiration }),
  };
}

function clientWith(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) {
  return createS3Client({
    endpoint: proxy.url,
    region: s3.region,
    credentials,
    checksumMode: 'WHEN_REQUIRED',
    maxSockets: 8,
  });
}

/** The proxy refuses expired tokens, and slows parts down so the upload outlives a token. */
function enforceTokenExpiry(partDelayMs: number): void {
  proxy.addRule({
    match: (request) => {
      const expiry =
        request.sessionToken === undefined ? undefined : tokenExpiry.get(request.sessionToken);
      return expiry !== undefined && Date.now() > expiry;
    },
    fault: 'expiredToken400',
    times: Infinity,
  });
  proxy.addRule({
    match: (request) => request.operation === 'UploadPart',
    fault: 'latency',
    delayMs: partDelayMs,
    times: Infinity,
  });
}

async function engineWith(resolver: ClientResolver) {
  return new TransferEngine(resolver, await Journal.open(tempDir('journal')), {
    partSize: PART_SIZE,
    partsInFlight: 2,
    filesInFlight: 1,
    checksumMode: 'WHEN_REQUIRED',
    onConflict: 'overwrite',
    retry: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 200 },
  });
}

async function enqueueLargeFile(engine: TransferEngine, bucket: string) {
  const file = path.join(tempDir('expiring'), 'long-shoot.tif');
  const data = writeRandomFile(file, FILE_SIZE);
  const plan = await planUpload([file], { bucket, prefix: '', junkFilter: DEFAULT_JUNK_FILTER });
  await engine.enqueue(plan);
  return { data, key: plan.files[0]!.key };
}

/** Part numbers the server accepted, with how many times each was accepted. */
function acceptedParts(requests: ProxiedRequest[]): Map<number, number> {
  const accepted = new Map<number, number>();
  for (const request of requests) {
    if (request.operation === 'UploadPart' && request.status === 200) {
      accepted.set(request.partNumber!, (accepted.get(request.partNumber!) ?? 0) + 1);
    }
  }
  return accepted;
}

describe('credentials that expire during an upload', () => {
  it('renews them through the provider and loses no part', async () => {
    const bucket = await freshBucket(client, 'expiring-refresh');
    const lifetimeMs = 700;
    let generation = 0;
    const provider: AwsCredentialIdentityProvider = async () => {
      const token = `session-${++generation}`;
      tokenExpiry.set(token, Date.now() + lifetimeMs);
      // Within the SDK's refresh window once `lifetimeMs` has passed, as real ones are minutes
      // before they expire.
      return credentialsWithToken(token, new Date(Date.now() + SDK_REFRESH_WINDOW_MS + lifetimeMs));
    };
    const s3Client = clientWith(provider);
    const engine = await engineWith(async () => s3Client);
    enforceTokenExpiry(300);
    const mark = proxy.requests.length;

    const { data, key } = await enqueueLargeFile(engine, bucket);
    await engine.whenIdle();

    const [item] = engine.items();
    expect(item).toMatchObject({ state: 'done' });
    const requests = proxy.requests.slice(mark);
    const tokensAccepted = new Set(
      requests.filter((r) => r.status === 200).map((r) => r.sessionToken),
    );
    expect(tokensAccepted.size).toBeGreaterThanOrEqual(3);
    expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
    // A part refused for an expired token is sent again; every part is accepted exactly once.
    expect([...acceptedParts(requests).values()]).toEqual(Array(PART_COUNT).fill(1));
    expect(await incompleteUploads(client, bucket)).toEqual([]);
  });

  it('pauses the item with a clear message, then continues after renewal without resending parts', async () => {
    const bucket = await freshBucket(client, 'expiring-pause');
    let token = 'static-1';
    const renewals: boolean[] = [];
    // Credentials without an expiration: the SDK keeps them until a new client is built.
    const engine = await engineWith(async (_connection, _bucket, renew) => {
      renewals.push(renew ?? false);
      return clientWith(credentialsWithToken(token));
    });
    enforceTokenExpiry(250);
    const mark = proxy.requests.length;

    const { data, key } = await enqueueLargeFile(engine, bucket);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (acceptedParts(proxy.requests.slice(mark)).size >= 3) {
          tokenExpiry.set('static-1', 0);
          resolve();
        } else setTimeout(check, 20);
      };
      check();
    });
    await engine.whenIdle();

    const [paused] = engine.items();
    expect(paused!.state).toBe('paused');
    expect(paused!.error).toMatch(
      /credentials expired during the upload\. Renew them .* then resume; the \d+ parts? already sent are kept/,
    );
    const beforeResume = acceptedParts(proxy.requests.slice(mark));
    expect(beforeResume.size).toBeGreaterThanOrEqual(3);
    expect(beforeResume.size).toBeLessThan(PART_COUNT);

    token = 'static-2';
    const resumeMark = proxy.requests.length;
    engine.resume();
    await engine.whenIdle();

    expect(engine.items()[0]).toMatchObject({ state: 'done' });
    expect(renewals).toEqual([false, true]);
    expect(sha256(await objectBytes(client, bucket, key))).toBe(sha256(data));
    const afterResume = acceptedParts(proxy.requests.slice(resumeMark));
    for (const partNumber of beforeResume.keys()) expect(afterResume.has(partNumber)).toBe(false);
    expect(beforeResume.size + afterResume.size).toBe(PART_COUNT);
    expect(await incompleteUploads(client, bucket)).toEqual([]);
  });
});
