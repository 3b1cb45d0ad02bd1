import { afterEach, describe, expect, it, vi } from 'vitest';
import { INVOKE } from '../../preload/contract';
import { dispatchInvoke, type InvokeHandlers } from '../../main/ipc/dispatch';
import { ProfileNameTakenError } from '../../main/credentials/profiles';
import { UserFacingError } from '../../main/service/uploadService';

/** What the window receives when the queue snapshot handler throws this error. */
async function windowSees(error: unknown): Promise<string> {
  const handlers = {
    [INVOKE.queueSnapshot]: async () => {
      throw error;
    },
  } as unknown as InvokeHandlers;
  const result = await dispatchInvoke(handlers, true, INVOKE.queueSnapshot, null);
  expect(result.ok).toBe(false);
  return (result as { error: string }).error;
}

afterEach(() => vi.restoreAllMocks());

describe('#13 item 12: errors that cross to the window', () => {
  it('turn an unknown error into a sentence with an id, and log the details in main', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const raw = new Error("EBADF: bad file descriptor, open '/home/ana/.config/Bucketdrop/x'");
    const seen = await windowSees(raw);
    expect(seen).not.toContain('/home/ana');
    expect(seen).not.toContain('EBADF');
    const id = /\(error ([0-9a-f]{8})\)/.exec(seen)?.[1];
    expect(id).toBeDefined();
    expect(log).toHaveBeenCalledWith(`Bucketdrop error ${id}:`, raw);
    const again = await windowSees(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    );
    expect(again).not.toContain(id);
    expect(again).not.toContain('Cannot read');
  });

  it('keep the clear explanations we wrote and the causes we know', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(
      await windowSees(new UserFacingError('This preview has expired: add the files again.')),
    ).toBe('This preview has expired: add the files again.');
    expect(await windowSees(new ProfileNameTakenError('Work'))).toBe(
      'A connection named "Work" already exists: choose another name',
    );
    expect(await windowSees(Object.assign(new Error('x'), { name: 'NoSuchBucket' }))).toBe(
      'the bucket does not exist',
    );
    expect(await windowSees(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(
      'connection refused: is the endpoint URL right and the server running?',
    );
    expect(log).not.toHaveBeenCalled();
  });
});
