import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { INVOKE } from '../../preload/contract';
import { dispatchInvoke, type InvokeHandlers } from './dispatch';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Registers every channel of the contract, each behind the sender check and its schema. */
export function registerIpcHandlers(handlers: InvokeHandlers, isTrustedSender: SenderCheck): void {
  for (const channel of Object.values(INVOKE)) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      dispatchInvoke(handlers, isTrustedSender(event), channel, payload),
    );
  }
}

export function unregisterIpcHandlers(): void {
  for (const channel of Object.values(INVOKE)) ipcMain.removeHandler(channel);
}
