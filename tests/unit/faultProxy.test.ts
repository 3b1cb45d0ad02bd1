import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyS3Request, startFaultProxy } from '../support/faultProxy';
import type { FaultKind, FaultProxy, S3Operation } from '../support/faultProxy';

const MiB = 1024 * 1024;

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bytes: number;
  sha256: string;
  /** `true` once the whole body arrived, `false` once the request was cut short. */
  complete?: boolean;
}

interface Target {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Stand-in for the S3 server: records what arrives and answers 200 with an ETag. */
async function startTarget(): Promise<Target> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const entry: Received = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      bytes: 0,
      sha256: '',
    };
    received.push(entry);
    const hash = createHash('sha256');
    req.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('error', () => {});
    req.on('close', () => {
      entry.complete ??= false;
    });
    req.on('end', () => {
      entry.complete = true;
      entry.sha256 = hash.digest('hex');
      if (req.url === '/bucket/broken-response') {
        res.writeHead(200, { 'Content-Length': 1000 });
        res.write(Buffer.alloc(100));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      const body = req.url === '/bucket/download' ? Buffer.alloc(64 * 1024, 7) : Buffer.alloc(0);
      res.writeHead(200, { ETag: `"${entry.sha256.slice(0, 32)}"`, 'Content-Length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const clientAgent = new http.Agent({ keepAlive: true });

function send(
  proxy: FaultProxy,
  method: string,
  path: string,
  body?: Buffer,
  headers: OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${proxy.url}${path}`,
      {
        method,
        agent: clientAgent,
        headers: body ? { 'Content-Length': body.length, ...headers } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const connectionError = (err: unknown): boolean => {
  const { code, message } = err as NodeJS.ErrnoException;
  return code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|aborted/.test(message);
};

describe('classifyS3Request', () => {
  const copy = { 'x-amz-copy-source': '/bucket/src' };
  const cases: [string, string, Record<string, string>, S3Operation][] = [
    ['PUT', '/bucket/a/b.jpg?partNumber=3&uploadId=abc&x-id=UploadPart', {}, 'UploadPart'],
    ['PUT', '/bucket/a/b.jpg?partNumber=3&uploadId=abc', copy, 'UploadPartCopy'],
    ['PUT', '/bucket/a/b.jpg?x-id=PutObject', {}, 'PutObject'],
    ['PUT', '/bucket/a/b.jpg', copy, 'CopyObject'],
    ['PUT', '/bucket/a/b.jpg?tagging', {}, 'Other'],
    ['PUT', '/bucket', {}, 'CreateBucket'],
    ['POST', '/bucket/a/b.jpg?uploads', {}, 'CreateMultipartUpload'],
    ['POST', '/bucket/a/b.jpg?uploadId=abc', {}, 'CompleteMultipartUpload'],
    ['POST', '/bucket?delete', {}, 'DeleteObjects'],
    ['POST', '/bucket/a/b.jpg?restore', {}, 'Other'],
    ['DELETE', '/bucket/a/b.jpg?uploadId=abc', {}, 'AbortMultipartUpload'],
    ['DELETE', '/bucket/a/b.jpg', {}, 'DeleteObject'],
    ['DELETE', '/bucket', {}, 'DeleteBucket'],
    ['GET', '/bucket/a/b.jpg?uploadId=abc&max-parts=1000', {}, 'ListParts'],
    ['GET', '/bucket?uploads', {}, 'ListMultipartUploads'],
    ['GET', '/bucket/a/b.jpg', {}, 'GetObject'],
    ['GET', '/bucket/a/b.jpg?partNumber=1&x-id=GetObject', {}, 'GetObject'],
    ['GET', '/bucket/a/b.jpg?tagging', {}, 'Other'],
    ['GET', '/bucket?list-type=2&prefix=a%2F', {}, 'ListObjectsV2'],
    ['GET', '/bucket/?list-type=2', {}, 'ListObjectsV2'],
    ['GET', '/bucket?prefix=a', {}, 'ListObjects'],
    ['GET', '/bucket?versions', {}, 'ListObjectVersions'],
    ['GET', '/bucket?location', {}, 'Other'],
    ['GET', '/', {}, 'ListBuckets'],
    ['HEAD', '/bucket/a/b.jpg', {}, 'HeadObject'],
    ['HEAD', '/bucket', {}, 'HeadBucket'],
    ['OPTIONS', '/bucket/a/b.jpg', {}, 'Other'],
  ];
  it.each(cases)('%s %s %o is %s', (method, url, headers, expected) => {
    expect(classifyS3Request(method, url, headers)).toBe(expected);
  });
});

describe('startFaultProxy', () => {
  it('refuses targets that are not http on loopback', async () => {
    for (const target of ['http://10.0.0.1:9000', 'http://example.com', 'https://127.0.0.1:9000']) {
      await expect(startFaultProxy(target)).rejects.toThrow(/loopback/);
    }
    for (const target of ['http://localhost:9000', 'http://127.0.0.2:9000', 'http://[::1]:9000']) {
      const proxy = await startFaultProxy(target);
      expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
      await proxy.close();
    }
  });
});

describe('fault proxy', () => {
  let target: Target;
  let proxy: FaultProxy;

  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    clientAgent.destroy();
    await target.close();
  });
  beforeEach(async () => {
    target.received.length = 0;
    proxy = await startFaultProxy(target.url);
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('forwards method, path, query, Host and a 3 MiB body unchanged', async () => {
    const body = randomBytes(3 * MiB);
    const path = '/bucket/photos/a%20b.jpg?x-id=PutObject';
    const reply = await send(proxy, 'PUT', path, body, { 'x-amz-meta-origin': 'unit' });

    expect(reply.status).toBe(200);
    expect(reply.headers.etag).toBe(`"${sha256(body).slice(0, 32)}"`);
    expect(target.received).toHaveLength(1);
    const [got] = target.received;
    expect(got).toMatchObject({ method: 'PUT', url: path, bytes: body.length, complete: true });
    expect(got?.sha256).toBe(sha256(body));
    expect(got?.headers.host).toBe(`127.0.0.1:${proxy.port}`);
    expect(got?.headers['x-amz-meta-origin']).toBe('unit');
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]).toMatchObject({
      method: 'PUT',
      path: '/bucket/photos/a%20b.jpg',
      operation: 'PutObject',
      status: 200,
      bytesIn: body.length,
    });
    expect(proxy.requests[0]?.fault).toBeUndefined();
  });

  it('streams a chunked body to the target before the client has finished sending', async () => {
    const first = randomBytes(256 * 1024);
    const second = randomBytes(256 * 1024);
    const replied = new Promise<number>((resolve, reject) => {
      const req = http.request(`${proxy.url}/bucket/streamed`, { method: 'PUT' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(first);
      waitFor(() => (target.received[0]?.bytes ?? 0) > 0, 'first bytes at the target').then(
        () => req.end(second),
        reject,
      );
    });

    expect(await replied).toBe(200);
    expect(target.received[0]?.headers['transfer-encoding']).toBe('chunked');
    expect(target.received[0]?.sha256).toBe(sha256(Buffer.concat([first, second])));
  });

  it('frames a body-less POST the way the client sent it', async () => {
    const reply = await send(proxy, 'POST', '/bucket/key?uploads', undefined, {
      'Content-Length': 0,
    });

    expect(reply.status).toBe(200);
    expect(target.received[0]?.headers['content-length']).toBe('0');
    expect(target.received[0]?.headers['transfer-encoding']).toBeUndefined();
    expect(proxy.requests[0]?.operation).toBe('CreateMultipartUpload');
  });

  it('reset cuts the client connection mid-body and the target never gets the whole body', async () => {
    const body = randomBytes(3 * MiB);
    proxy.addRule({ match: (r) => r.operation === 'UploadPart', fault: 'reset', afterBytes: MiB });

    const error = await send(proxy, 'PUT', '/bucket/key?partNumber=1&uploadId=u1', body).catch(
      (err: unknown) => err,
    );

    expect(connectionError(error)).toBe(true);
    await waitFor(
      () => target.received.every((r) => r.complete !== undefined),
      'the target to see the request end',
    );
    for (const got of target.received) {
      expect(got.complete).toBe(false);
      expect(got.bytes).toBeLessThan(body.length);
    }
    expect(proxy.requests[0]).toMatchObject({
      operation: 'UploadPart',
      partNumber: 1,
      uploadId: 'u1',
      fault: 'reset',
    });
    expect(proxy.requests[0]?.status).toBeUndefined();
    expect(proxy.requests[0]?.bytesIn).toBeGreaterThanOrEqual(MiB);
    expect(proxy.faultsInjected).toBe(1);

    const retry = await send(proxy, 'PUT', '/bucket/key?partNumber=1&uploadId=u1', body);
    expect(retry.status).toBe(200);
    expect(target.received.at(-1)?.sha256).toBe(sha256(body));
  });

  it.each([
    ['slowDown503', 503, 'SlowDown', 'Please reduce your request rate.'],
    ['internalError500', 500, 'InternalError', 'We encountered an internal error.'],
    ['requestTimeout400', 400, 'RequestTimeout', 'Your socket connection to the server'],
  ] as const)('%s answers %i %s without reaching the target', async (fault, status, code, text) => {
    const body = randomBytes(256 * 1024);
    proxy.addRule({ match: (r) => r.operation === 'PutObject', fault });

    const reply = await send(proxy, 'PUT', '/bucket/a%26b.jpg', body);

    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toBe('application/xml');
    const xml = reply.body.toString();
    expect(xml).toContain(`<Error><Code>${code}</Code><Message>${text}`);
    expect(xml).toContain('<Resource>/bucket/a%26b.jpg</Resource>');
    expect(target.received).toHaveLength(0);
    expect(proxy.requests[0]).toMatchObject({ status, fault, bytesIn: body.length });
  });

  it('spends a rule after `times` matches and lets other requests through', async () => {
    proxy.addRule({
      match: (r) => r.operation === 'PutObject',
      fault: 'internalError500',
      times: 2,
    });

    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(proxy, 'PUT', '/bucket/k')).status);
    statuses.push((await send(proxy, 'GET', '/bucket/k')).status);

    expect(statuses).toEqual([500, 500, 200, 200]);
    expect(proxy.requests.map((r) => [r.operation, r.status, r.fault])).toEqual([
      ['PutObject', 500, 'internalError500'],
      ['PutObject', 500, 'internalError500'],
      ['PutObject', 200, undefined],
      ['GetObject', 200, undefined],
    ]);
    expect(proxy.faultsInjected).toBe(2);
  });

  it('applies the first matching rule that is not spent, and clearRules drops them all', async () => {
    proxy.addRule({ match: () => true, fault: 'slowDown503' });
    proxy.addRule({ match: () => true, fault: 'internalError500', times: Infinity });

    expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(503);
    expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(500);
    expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(500);
    proxy.clearRules();
    expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(200);
  });

  it('refuse drops the connection without an answer', async () => {
    proxy.addRule({ match: (r) => r.operation === 'GetObject', fault: 'refuse' });

    const error = await send(proxy, 'GET', '/bucket/k').catch((err: unknown) => err);

    expect(connectionError(error)).toBe(true);
    expect(target.received).toHaveLength(0);
    expect(proxy.requests[0]).toMatchObject({ operation: 'GetObject', fault: 'refuse' });
    expect(proxy.requests[0]?.status).toBeUndefined();
    expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(200);
  });

  it('latency holds the request before forwarding it', async () => {
    proxy.addRule({ match: () => true, fault: 'latency', delayMs: 300 });

    const started = performance.now();
    const reply = await send(proxy, 'PUT', '/bucket/k', randomBytes(1024));

    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(proxy.requests[0]).toMatchObject({ status: 200, fault: 'latency' });
  });

  it('stall pauses an upload midway and then delivers it intact', async () => {
    const body = randomBytes(MiB);
    proxy.addRule({ match: () => true, fault: 'stall', delayMs: 300 });

    const started = performance.now();
    const reply = await send(proxy, 'PUT', '/bucket/k', body);

    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(target.received[0]?.sha256).toBe(sha256(body));
    expect(proxy.requests[0]).toMatchObject({ status: 200, fault: 'stall', bytesIn: MiB });
  });

  it('stall on a request without a body pauses the download instead', async () => {
    proxy.addRule({ match: () => true, fault: 'stall', delayMs: 300 });

    const started = performance.now();
    const reply = await send(proxy, 'GET', '/bucket/download');

    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(reply.body.equals(Buffer.alloc(64 * 1024, 7))).toBe(true);
  });

  it('passes a client abort on to the target', async () => {
    const req = http.request(`${proxy.url}/bucket/k`, {
      method: 'PUT',
      headers: { 'Content-Length': 2 * MiB },
    });
    req.on('error', () => {});
    req.write(randomBytes(512 * 1024));
    await waitFor(() => (target.received[0]?.bytes ?? 0) > 0, 'the upload to start');
    req.destroy();

    await waitFor(() => target.received[0]?.complete === false, 'the target to see the abort');
    expect(proxy.requests[0]?.error).toBeUndefined();
    expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(200);
  });

  it('passes a target abort on to the client', async () => {
    const error = await send(proxy, 'GET', '/bucket/broken-response').catch((err: unknown) => err);

    expect(connectionError(error)).toBe(true);
    expect(proxy.requests[0]).toMatchObject({ status: 200, error: expect.any(String) });
  });

  it('close() tears down held and half-sent requests at once', async () => {
    proxy.addRule({ match: (r) => r.method === 'GET', fault: 'latency', delayMs: 60_000 });
    proxy.addRule({ match: (r) => r.method === 'PUT', fault: 'stall', delayMs: 60_000 });
    const held = send(proxy, 'GET', '/bucket/k').catch((err: unknown) => err);
    const stalled = send(proxy, 'PUT', '/bucket/k', randomBytes(MiB)).catch((err: unknown) => err);
    await waitFor(() => (target.received[0]?.bytes ?? 0) > 0, 'the upload to start');

    const started = performance.now();
    await proxy.close();

    expect(performance.now() - started).toBeLessThan(1000);
    expect(connectionError(await held)).toBe(true);
    expect(connectionError(await stalled)).toBe(true);
    await waitFor(() => target.received[0]?.complete === false, 'the target to see the abort');
  });

  it('cuts the client connection when the target is unreachable', async () => {
    const down = await startTarget();
    await down.close();
    const orphan = await startFaultProxy(down.url);
    try {
      const error = await send(orphan, 'GET', '/bucket/k').catch((err: unknown) => err);
      expect(connectionError(error)).toBe(true);
      expect(orphan.requests[0]).toMatchObject({ operation: 'GetObject', error: 'ECONNREFUSED' });
    } finally {
      await orphan.close();
    }
  });

  describe('seeded chaos', () => {
    const kinds: FaultKind[] = ['slowDown503', 'internalError500', 'requestTimeout400'];

    async function uploadParts(partNumbers: number[]): Promise<Map<number, FaultKind | null>> {
      const first = proxy.requests.length;
      for (const n of partNumbers) await send(proxy, 'PUT', `/bucket/k?partNumber=${n}&uploadId=u`);
      return new Map(proxy.requests.slice(first).map((r) => [r.partNumber ?? 0, r.fault ?? null]));
    }
    const parts = Array.from({ length: 24 }, (_, i) => i + 1);

    it('injects the same faults for the same seed and respects maxFaults', async () => {
      proxy.setSeededChaos({ seed: 42, probability: 0.5, kinds, maxFaults: 4 });
      const run1 = await uploadParts(parts);
      proxy.setSeededChaos({ seed: 42, probability: 0.5, kinds, maxFaults: 4 });
      const run2 = await uploadParts(parts);

      expect([...run2]).toEqual([...run1]);
      const faulted = [...run1.values()].filter((f) => f !== null);
      expect(faulted).toHaveLength(4);
      expect(proxy.faultsInjected).toBe(8);
      const statuses = proxy.requests.filter((r) => r.fault).map((r) => r.status);
      expect(statuses.every((s) => s === 503 || s === 500 || s === 400)).toBe(true);
    });

    it('decides per request identity, so arrival order does not matter', async () => {
      proxy.setSeededChaos({ seed: 7, probability: 0.3, kinds, maxFaults: 100 });
      const forward = await uploadParts(parts);
      proxy.setSeededChaos({ seed: 7, probability: 0.3, kinds, maxFaults: 100 });
      const backward = await uploadParts([...parts].reverse());

      for (const n of parts) expect(backward.get(n)).toBe(forward.get(n));
      expect([...forward.values()].some((f) => f !== null)).toBe(true);
    });

    it('gives a retried request a fresh draw and stops at maxFaults', async () => {
      proxy.setSeededChaos({ seed: 1, probability: 1, kinds: ['slowDown503'], maxFaults: 2 });

      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await send(proxy, 'GET', '/bucket/k')).status);

      expect(statuses).toEqual([503, 503, 200, 200]);
      proxy.setSeededChaos(null);
      expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(200);
    });

    it('leaves requests claimed by a rule to that rule', async () => {
      proxy.setSeededChaos({ seed: 1, probability: 1, kinds: ['slowDown503'], maxFaults: 5 });
      proxy.addRule({ match: () => true, fault: 'internalError500' });

      expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(500);
      expect((await send(proxy, 'GET', '/bucket/k')).status).toBe(503);
    });
  });

  describe('with the AWS SDK', () => {
    const client = (proxyUrl: string, maxAttempts: number): S3Client =>
      new S3Client({
        endpoint: proxyUrl,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
        maxAttempts,
      });

    it('keeps the signed Host header and classifies the SDK request', async () => {
      const s3 = client(proxy.url, 1);
      try {
        const out = await s3.send(
          new PutObjectCommand({ Bucket: 'bucket', Key: 'dir/x.jpg', Body: randomBytes(1024) }),
        );
        expect(out.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      } finally {
        s3.destroy();
      }
      expect(target.received[0]?.headers.host).toBe(`127.0.0.1:${proxy.port}`);
      expect(target.received[0]?.headers.authorization).toMatch(/SignedHeaders=[^,]*\bhost\b/);
      expect(proxy.requests[0]).toMatchObject({ operation: 'PutObject', status: 200 });
    });

    it('surfaces SlowDown as the S3 error the SDK knows, and retries it', async () => {
      proxy.addRule({ match: () => true, fault: 'slowDown503' });
      const once = client(proxy.url, 1);
      const retrying = client(proxy.url, 3);
      try {
        const put = new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'x' });
        await expect(once.send(put)).rejects.toMatchObject({
          name: 'SlowDown',
          $metadata: { httpStatusCode: 503 },
        });
        proxy.addRule({ match: () => true, fault: 'slowDown503' });
        await retrying.send(put);
      } finally {
        once.destroy();
        retrying.destroy();
      }
      expect(proxy.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    });
  });
});
