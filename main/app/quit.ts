import { dialog, type BrowserWindow } from 'electron';

export type QuitChoice = 'pause-and-quit' | 'keep-uploading';

/** Asks before a quit would interrupt uploads; either answer loses nothing. */
export async function askBeforeQuitting(window: BrowserWindow | null): Promise<QuitChoice> {
  const options = {
    type: 'question' as const,
    buttons: ['Pause and Quit', 'Keep Uploading'],
    defaultId: 1,
    cancelId: 1,
    message: 'Uploads are still running.',
    detail:
      'If you quit, they pause and pick up where they stopped the next time you open Bucketdrop.',
  };
  const { response } = window
    ? await dialog.showMessageBox(window, options)
    : await dialog.showMessageBox(options);
  return response === 0 ? 'pause-and-quit' : 'keep-uploading';
}
