import { httpStatusOf } from './errors';

const RETRYABLE_CODES = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'InternalError',
  'ThrottlingException',
  'TooManyRequestsException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPROTO',
  'UND_ERR_SOCKET',
]);

const EXPIRED_CREDENTIAL_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
]);

/**
 * The SDK asks the credential provider for new credentials shortly before the old ones expire,
 * so a request signed just before that can still be refused; a retry or two signs with the new
 * ones. Beyond that the provider has nothing newer and the user must renew them.
 */
const EXPIRED_CREDENTIAL_ATTEMPTS = 3;

export function isExpiredCredentials(error: unknown): boolean {
  const e = error as { name?: string; code?: string; Code?: string };
  return [e?.Code, e?.code, e?.name].some(
    (code) => code !== undefined && EXPIRED_CREDENTIAL_CODES.has(code),
  );
}

/** Transient failures worth another try; a 4xx like AccessDenied will not fix itself. */
export function isRetryable(error: unknown): boolean {
  if (isAbort(error)) return false;
  const e = error as { name?: string; code?: string; Code?: string; message?: string };
  for (const code of [e?.Code, e?.code, e?.name]) {
    if (code && RETRYABLE_CODES.has(code)) return true;
  }
  const status = httpStatusOf(error);
  // A HEAD answer has no body, so a 400 there carries no code: it may be a RequestTimeout.
  if (status === 400 && (e?.name === 'Unknown' || e?.name === 'UnknownError')) return true;
  // 501: the store lacks a feature the request uses (SSE, tags); asking again will not add it.
  if (status !== undefined) return (status >= 500 && status !== 501) || status === 429;
  return /socket hang up|network|connection (was )?(reset|closed)/i.test(e?.message ?? '');
}

export function isAbort(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'AbortError' || name === 'PausedError' || name === 'CancelledError';
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 300,
  maxDelayMs: 20_000,
};

/** Exponential backoff with full jitter, so parallel parts do not retry in lockstep. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetry<T>(
  attemptOnce: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const worthAnotherTry =
        isRetryable(error) ||
        (isExpiredCredentials(error) && attempt < EXPIRED_CREDENTIAL_ATTEMPTS);
      if (attempt >= policy.maxAttempts || !worthAnotherTry) throw error;
      onRetry(error, attempt);
      await sleep(backoffDelay(attempt, policy), signal);
    }
  }
}
