import { type InvokeChannel, type InvokeMap, type Result } from '../../preload/contract';
import { REQUEST_SCHEMAS } from './schemas';
import { userSafeMessage } from './userSafeError';

export type InvokeHandlers = {
  [C in InvokeChannel]: (request: InvokeMap[C]['request']) => Promise<InvokeMap[C]['response']>;
};

/**
 * Answers one invoke: only for a trusted sender, only with a payload that passes its schema, and
 * always with a Result, never a thrown error. Kept free of Electron so every host shares it.
 */
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  trusted: boolean,
  channel: InvokeChannel,
  payload: unknown,
): Promise<Result<unknown>> {
  if (!trusted)
    return { ok: false, error: 'This request did not come from the Bucketdrop window.' };
  const schema = REQUEST_SCHEMAS[channel];
  if (!schema) return { ok: false, error: 'The request was not valid.' };
  const parsed = schema.safeParse(payload === undefined ? null : payload);
  if (!parsed.success) return { ok: false, error: 'The request was not valid.' };
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: userSafeMessage(error, console.error) };
  }
}
