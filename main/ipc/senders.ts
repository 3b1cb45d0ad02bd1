import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { SenderCheck } from './register';

/**
 * Accepts only the main frame of our own window showing our own page: not an iframe, not
 * another window, not a page that navigated elsewhere.
 */
export function ownWindowOnly(
  getWindow: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): SenderCheck {
  return (event: IpcMainInvokeEvent) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return false;
    const frame = event.senderFrame;
    return (
      event.sender === window.webContents &&
      frame !== null &&
      frame === window.webContents.mainFrame &&
      isAppUrl(frame.url)
    );
  };
}
