import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isExpiredCredentials,
  isRetryable,
  withRetry,
} from '../../main/transfer/retry';

function s3Error(name: string, status: number) {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('retries', () => {
  it.each([
    [s3Error('SlowDown', 503), true],
    [s3Error('InternalError', 500), true],
    [s3Error('RequestTimeout', 400), true],
    [s3Error('TooManyRequests', 429), true],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    [new Error('socket hang up'), true],
    [s3Error('Unknown', 400), true],
    [s3Error('AccessDenied', 403), false],
    [s3Error('NoSuchBucket', 404), false],
    [s3Error('SignatureDoesNotMatch', 403), false],
    [Object.assign(new Error('paused'), { name: 'PausedError' }), false],
  ])('%s retryable: %s', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });

  it('backs off exponentially with jitter and a ceiling', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(9, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });

  it('retries transient failures until they pass', async () => {
    let calls = 0;
    const retries: number[] = [];
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw s3Error('SlowDown', 503);
        return 'ok';
      },
      fast,
      undefined,
      (_e, attempt) => retries.push(attempt),
    );
    expect(value).toBe('ok');
    expect(retries).toEqual([1, 2]);
  });

  it('fails at once on AccessDenied and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw s3Error('AccessDenied', 403);
        },
        fast,
        undefined,
        () => undefined,
      ),
    ).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw s3Error('SlowDown', 503);
        },
        fast,
        undefined,
        () => undefined,
      ),
    ).rejects.toThrow('SlowDown');
    expect(calls).toBe(4);
  });

  it('signs an expired-token request again a few times, for credentials renewed meanwhile', async () => {
    expect(isExpiredCredentials(s3Error('ExpiredToken', 400))).toBe(true);
    expect(isExpiredCredentials(s3Error('AccessDenied', 403))).toBe(false);
    let calls = 0;
    const renewedOnThirdSigning = withRetry(
      async () => {
        if (++calls < 3) throw s3Error('ExpiredToken', 400);
        return 'sent';
      },
      fast,
      undefined,
      () => undefined,
    );
    await expect(renewedOnThirdSigning).resolves.toBe('sent');
    calls = 0;
    const neverRenewed = withRetry(
      async () => {
        calls++;
        throw s3Error('ExpiredToken', 400);
      },
      { ...fast, maxAttempts: 10 },
      undefined,
      () => undefined,
    );
    await expect(neverRenewed).rejects.toThrow('ExpiredToken');
    expect(calls).toBe(3);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const pending = withRetry(
      async () => {
        throw s3Error('SlowDown', 503);
      },
      { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      controller.signal,
      () => controller.abort(new Error('paused')),
    );
    await expect(pending).rejects.toThrow('paused');
  });
});
