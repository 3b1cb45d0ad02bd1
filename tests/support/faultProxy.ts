/**
 * Loopback HTTP proxy that sits between an S3 client (path-style, `endpoint: proxy.url`) and a
 * local S3 server, records every request and injects network and S3-level faults on demand.
 */
import http from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import { Transform, pipeline } from 'node:stream';
import type { Readable } from 'node:stream';

export type S3Operation =
  | 'PutObject'
  | 'CopyObject'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CreateMultipartUpload'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads'
  | 'HeadObject'
  | 'HeadBucket'
  | 'GetObject'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListObjectVersions'
  | 'DeleteObject'
  | 'DeleteObjects'
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'ListBuckets'
  | 'Other';

export type FaultKind =
  | 'reset'
  | 'slowDown503'
  | 'internalError500'
  | 'requestTimeout400'
  | 'expiredToken400'
  | 'latency'
  | 'stall'
  | 'refuse';

export interface ProxiedRequest {
  method: string;
  /** Raw (still percent-encoded) path without the query string, e.g. `/bucket/a%20b.jpg`. */
  path: string;
  query: URLSearchParams;
  operation: S3Operation;
  partNumber?: number;
  uploadId?: string;
  /** Status sent to the client; stays unset when the connection was cut instead. */
  status?: number;
  fault?: FaultKind;
  /** Request-body bytes received from the client so far. */
  bytesIn: number;
  /** The `x-amz-security-token` the request was signed with, if any. */
  sessionToken?: string;
  /** Why the proxy had to cut the client connection on its own (e.g. `ECONNREFUSED` upstream). */
  error?: string;
}

export interface FaultRule {
  match: (req: ProxiedRequest) => boolean;
  fault: FaultKind;
  /** Matching requests to fault before the rule is spent (default 1; `Infinity` never spends). */
  times?: number;
  /**
   * `reset`/`stall`: body offset at which the fault strikes. Defaults to half of the request body
   * (for a body without Content-Length: its start). A `stall` on a request without a body holds
   * the response body instead.
   */
  afterBytes?: number;
  /** `latency`/`stall`: how long to hold the transfer. */
  delayMs?: number;
}

export interface SeededChaos {
  seed: number;
  /** Chance in [0, 1] that a request not claimed by a rule gets a fault. */
  probability: number;
  kinds: FaultKind[];
  /** Cap on faults injected by chaos since it was (re)configured. */
  maxFaults: number;
  /** Hold time for chaos-picked `latency`/`stall` faults. */
  delayMs?: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /** Every request in arrival order; entries are updated in place as their outcome is known. */
  readonly requests: ProxiedRequest[];
  /** Faults injected so far, by rules and chaos together. */
  readonly faultsInjected: number;
  addRule(rule: FaultRule): void;
  clearRules(): void;
  /**
   * Whether a request gets a fault is derived from the seed, the request's identity (method,
   * path, part number) and how often that identity was seen before, not from arrival order, so
   * parallel uploads see the same faults run after run. Only which faults survive the
   * `maxFaults` cap can depend on timing when several are due at once.
   */
  setSeededChaos(opts: SeededChaos | null): void;
  close(): Promise<void>;
}

const DEFAULT_DELAY_MS = 500;

const S3_ERRORS = {
  slowDown503: { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
  internalError500: {
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
  requestTimeout400: {
    status: 400,
    code: 'RequestTimeout',
    message:
      'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.',
  },
  expiredToken400: {
    status: 400,
    code: 'ExpiredToken',
    message: 'The provided token has expired.',
  },
} as const;

// Query parameters that turn a bucket or object URL into a configuration call (PUT ?tagging is
// PutObjectTagging, not PutObject), so such requests must not be counted as data operations.
const SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'versioning',
  'website',
]);

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

/** Names the S3 operation of a path-style request (`/bucket/key?query`). */
export function classifyS3Request(
  method: string,
  url: string,
  headers: Readonly<Record<string, string | string[] | undefined>> = {},
): S3Operation {
  const { path, query } = splitUrl(url);
  const slash = path.indexOf('/', 1);
  const bucket = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const onKey = slash >= 0 && slash < path.length - 1;
  const copy = headers['x-amz-copy-source'] !== undefined;
  if ([...query.keys()].some((name) => SUBRESOURCES.has(name))) return 'Other';

  switch (method.toUpperCase()) {
    case 'GET':
      if (bucket === '') return 'ListBuckets';
      if (!onKey) {
        if (query.has('uploads')) return 'ListMultipartUploads';
        if (query.has('versions')) return 'ListObjectVersions';
        return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      }
      return query.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      if (bucket === '') return 'Other';
      return onKey ? 'HeadObject' : 'HeadBucket';
    case 'PUT':
      if (bucket === '') return 'Other';
      if (!onKey) return 'CreateBucket';
      if (query.has('partNumber') && query.has('uploadId'))
        return copy ? 'UploadPartCopy' : 'UploadPart';
      return copy ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (!onKey) return bucket !== '' && query.has('delete') ? 'DeleteObjects' : 'Other';
      if (query.has('uploads')) return 'CreateMultipartUpload';
      return query.has('uploadId') ? 'CompleteMultipartUpload' : 'Other';
    case 'DELETE':
      if (bucket === '') return 'Other';
      if (!onKey) return 'DeleteBucket';
      return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return 'Other';
  }
}

/** A small seeded generator: the same seed gives the same faults, so a failure can be replayed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// Connection management is per hop: the proxy keeps its own pool to the target, and Node adds the
// client-side Connection/Keep-Alive headers that match the proxy's own keep-alive timeout.
function withoutHopByHop(raw: string[]): string[] {
  const connectionTokens = new Set(['connection', 'keep-alive', 'proxy-connection']);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'connection') {
      for (const token of raw[i + 1]?.split(',') ?? []) {
        connectionTokens.add(token.trim().toLowerCase());
      }
    }
  }
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (!connectionTokens.has(name.toLowerCase())) kept.push(name, raw[i + 1] as string);
  }
  return kept;
}

// The object form (unlike Node's raw-array form) lets Node frame a body-less PUT/POST with
// `Content-Length: 0` instead of switching it to chunked encoding.
function requestHeaders(raw: string[]): OutgoingHttpHeaders {
  const pairs = withoutHopByHop(raw);
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i] as string;
    const value = pairs[i + 1] as string;
    const existing = headers[name];
    headers[name] = existing === undefined ? value : [existing, value].flat();
  }
  return headers;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorCode(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

interface Gate {
  at: number;
  onReach: (release: () => void) => void;
}

/**
 * Passes bytes through, reporting their count, and calls `gate.onReach` once `gate.at` bytes went
 * by (or at the end of a shorter stream); the rest flows only when `release` is called.
 */
function tap(onBytes: (n: number) => void, gate?: Gate): Transform {
  let seen = 0;
  let reached = false;
  const reach = (release: () => void): void => {
    reached = true;
    gate?.onReach(release);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      const before = seen;
      seen += chunk.length;
      if (!gate || reached || seen < gate.at) {
        done(null, chunk);
        return;
      }
      const head = chunk.subarray(0, gate.at - before);
      if (head.length > 0) this.push(head);
      const rest = chunk.subarray(head.length);
      reach(() => done(null, rest.length > 0 ? rest : undefined));
    },
    flush(done) {
      if (gate && !reached) reach(() => done());
      else done();
    },
  });
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

interface Plan {
  kind: FaultKind;
  afterBytes?: number;
  delayMs: number;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  if (targetUrl.protocol !== 'http:' || !isLoopback(targetUrl.hostname)) {
    throw new Error(`fault proxy only forwards to http:// loopback targets, got ${target}`);
  }
  const targetHost = targetUrl.hostname.replace(/^\[(.*)\]$/, '$1');
  const targetPort = Number(targetUrl.port || 80);
  const agent = new http.Agent({ keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const rules: { rule: FaultRule; remaining: number }[] = [];
  let chaos: (SeededChaos & { injected: number; seen: Map<string, number> }) | null = null;
  let faultsInjected = 0;
  let errorResponses = 0;

  function chaosPlan(record: ProxiedRequest): Plan | undefined {
    if (!chaos || chaos.injected >= chaos.maxFaults || chaos.kinds.length === 0) return undefined;
    const identity = `${record.method} ${record.path} ${record.partNumber ?? ''}`;
    const attempt = chaos.seen.get(identity) ?? 0;
    chaos.seen.set(identity, attempt + 1);
    const random = mulberry32(fnv1a(`${chaos.seed}|${identity}|${attempt}`));
    if (random() >= chaos.probability) return undefined;
    chaos.injected++;
    const kind = chaos.kinds[Math.floor(random() * chaos.kinds.length)] as FaultKind;
    return { kind, delayMs: chaos.delayMs ?? DEFAULT_DELAY_MS };
  }

  function planFor(record: ProxiedRequest): Plan | undefined {
    const entry = rules.find((r) => r.remaining > 0 && r.rule.match(record));
    if (!entry) return chaosPlan(record);
    entry.remaining--;
    const { fault, afterBytes, delayMs = DEFAULT_DELAY_MS } = entry.rule;
    return { kind: fault, afterBytes, delayMs };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Failures are handled where streams are wired up; an unheard 'error' would kill the test run.
    req.on('error', () => {});
    res.on('error', () => {});
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const { path, query } = splitUrl(url);
    const partNumber = query.get('partNumber');
    const uploadId = query.get('uploadId');
    const sessionToken = req.headers['x-amz-security-token'];
    const record: ProxiedRequest = {
      method,
      path,
      query,
      operation: classifyS3Request(method, url, req.headers),
      ...(partNumber !== null && { partNumber: Number(partNumber) }),
      ...(uploadId !== null && { uploadId }),
      ...(typeof sessionToken === 'string' && { sessionToken }),
      bytesIn: 0,
    };
    requests.push(record);

    // Once the client is gone (or the proxy cut it on purpose), errors from tearing down the
    // upstream side are consequences, not failures of the target.
    let settled = false;
    // Captured because Node detaches req.socket once the connection is gone.
    const socket = req.socket;
    const onSettle: (() => void)[] = [];
    res.on('close', () => {
      settled = true;
      for (const fn of onSettle) fn();
    });
    const cut = (): void => {
      settled = true;
      socket.resetAndDestroy();
    };
    const fail = (err: Error): void => {
      if (settled || socket.destroyed) return;
      record.error = errorCode(err);
      res.destroy();
    };
    const guarded = (fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        fail(err as Error);
      }
    };
    const contentLength = Number(req.headers['content-length'] ?? 0);
    const hasBody = req.headers['transfer-encoding'] !== undefined || contentLength > 0;
    guarded(dispatch);

    function dispatch(): void {
      const plan = planFor(record);
      if (plan) {
        record.fault = plan.kind;
        faultsInjected++;
      }
      switch (plan?.kind) {
        case undefined:
          return forward();
        case 'refuse':
          return cut();
        case 'slowDown503':
        case 'internalError500':
        case 'requestTimeout400':
        case 'expiredToken400':
          return replyWithError(S3_ERRORS[plan.kind]);
        case 'reset': {
          const at = plan.afterBytes ?? Math.floor(contentLength / 2);
          if (!hasBody || at <= 0) return cut();
          return forward({ at, onReach: cut });
        }
        case 'latency': {
          const timer = setTimeout(() => guarded(forward), plan.delayMs);
          onSettle.push(() => clearTimeout(timer));
          return;
        }
        case 'stall': {
          const onReach = (release: () => void): void => {
            const timer = setTimeout(release, plan.delayMs);
            onSettle.push(() => clearTimeout(timer));
          };
          return hasBody
            ? forward({ at: plan.afterBytes ?? Math.floor(contentLength / 2), onReach })
            : forward(undefined, { at: plan.afterBytes, onReach });
        }
      }
    }

    function replyWithError(error: (typeof S3_ERRORS)[keyof typeof S3_ERRORS]): void {
      req.on('data', (chunk: Buffer) => {
        record.bytesIn += chunk.length;
      });
      req.on('end', () => {
        const requestId = `FAULTPROXY${String(++errorResponses).padStart(6, '0')}`;
        const body =
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<Error><Code>${error.code}</Code><Message>${error.message}</Message>` +
          `<Resource>${escapeXml(path)}</Resource><RequestId>${requestId}</RequestId></Error>`;
        record.status = error.status;
        res.writeHead(error.status, {
          'Content-Type': 'application/xml',
          'Content-Length': Buffer.byteLength(body),
          'x-amz-request-id': requestId,
        });
        res.end(body);
      });
    }

    // A stalled response body without Content-Length is held before its first byte.
    function forward(requestGate?: Gate, responseGate?: Partial<Gate> & Pick<Gate, 'onReach'>) {
      const upstream = http.request({
        host: targetHost,
        port: targetPort,
        method,
        path: url,
        headers: requestHeaders(req.rawHeaders),
        agent,
      });
      onSettle.push(() => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.on('error', fail);
      upstream.on('response', (upstreamRes) => guarded(() => relay(upstreamRes)));
      const meter = tap((n) => {
        record.bytesIn += n;
      }, requestGate);
      pipeline(req, meter, upstream, (err) => err && fail(err));

      function relay(upstreamRes: IncomingMessage): void {
        const status = upstreamRes.statusCode ?? 502;
        record.status = status;
        // Listening directly, because pipeline() destroys the client side before its callback runs.
        upstreamRes.on('error', fail);
        res.writeHead(status, upstreamRes.statusMessage, withoutHopByHop(upstreamRes.rawHeaders));
        const stages: [Readable, ...Transform[]] = [upstreamRes];
        if (responseGate) {
          const length = Number(upstreamRes.headers['content-length'] ?? 0);
          const at = responseGate.at ?? Math.floor(length / 2);
          stages.push(tap(() => {}, { at, onReach: responseGate.onReach }));
        }
        pipeline([...stages, res], (err) => err && fail(err));
      }
    }
  }

  const server = http.createServer(handle);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get faultsInjected() {
      return faultsInjected;
    },
    addRule(rule) {
      rules.push({ rule, remaining: rule.times ?? 1 });
    },
    clearRules() {
      rules.length = 0;
    },
    setSeededChaos(opts) {
      chaos = opts && { ...opts, kinds: [...opts.kinds], injected: 0, seen: new Map() };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
    },
  };
}
