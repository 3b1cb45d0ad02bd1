import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Bucketdrop';

/** The same folder Electron's app.getPath('userData') gives, so the CLI needs no Electron. */
export function userDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (process.platform === 'win32') {
    return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  }
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** The command line keeps its own journal: its uploads use the shell's credentials, not a profile. */
export function defaultCliJournalDir(): string {
  return process.env.BUCKETDROP_JOURNAL_DIR ?? path.join(userDataDir(), 'cli-journal');
}
