import type { WebContents } from 'electron';
import type { EventMap } from '../../preload/contract';

/** Pushes a typed event to the window, if it is still there. */
export function sendEvent<C extends keyof EventMap>(
  target: WebContents | null,
  channel: C,
  payload: EventMap[C],
): void {
  if (target && !target.isDestroyed()) target.send(channel, payload);
}
