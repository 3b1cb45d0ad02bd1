import type { ItemProgress, QueueActionRequest } from '../../preload/contract';

/** What the queue's buttons act on: the upload engine and the download engine alike. */
export interface QueueEngine {
  pause(ids?: string[]): void;
  resume(ids?: string[]): void;
  cancel(ids?: string[]): void;
  remove(ids: string[]): void;
  items(): ItemProgress[];
}

/** Applies one queue action to an engine; no ids means every item. */
export function applyQueueAction(engine: QueueEngine, { action, ids }: QueueActionRequest): void {
  switch (action) {
    case 'pause':
      engine.pause(ids);
      break;
    case 'resume':
    case 'retry':
      engine.resume(ids);
      break;
    case 'cancel':
      engine.cancel(ids);
      break;
    case 'remove':
      engine.remove(ids ?? []);
      break;
    case 'clear-finished':
      // Failed items stay: they still need the user's retry or removal.
      engine.remove(
        engine
          .items()
          .filter((item) => item.state !== 'failed')
          .map((item) => item.id),
      );
      break;
  }
}
