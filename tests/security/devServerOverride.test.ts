import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../main/app/protocol';
import { devServerOrigin, isTrustedPageUrl } from '../../main/app/trustedOrigin';
import { ownWindowOnly } from '../../main/ipc/senders';
import { BrowserWindow } from '../support/fakeElectron';

describe('#13 item 4: the dev-server override', () => {
  it('is ignored by a packaged build', () => {
    expect(devServerOrigin('http://127.0.0.1:5173/', true)).toBeNull();
    expect(devServerOrigin('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173');
    expect(devServerOrigin('file:///etc/passwd', false)).toBeNull();
    expect(devServerOrigin('not a url', false)).toBeNull();
  });

  it('trusts the exact dev origin for IPC, never a look-alike', () => {
    const dev = devServerOrigin('http://localhost:5173', false);
    const window = new BrowserWindow({});
    const trusted = (url: string) => {
      const frame = { url };
      Object.assign(window.webContents, { mainFrame: frame });
      const check = ownWindowOnly(
        () => window as never,
        (page) => isTrustedPageUrl(page, dev),
      );
      return check({ sender: window.webContents, senderFrame: frame } as never);
    };
    expect(trusted('http://localhost:5173/')).toBe(true);
    expect(trusted(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(trusted('http://localhost:5173.evil.example/')).toBe(false);
    expect(trusted('http://localhost:51730/')).toBe(false);
    expect(trusted('https://localhost:5173/')).toBe(false);
    expect(trusted('app://bucketdrop.evil/index.html')).toBe(false);
    expect(isTrustedPageUrl('http://localhost:5173/', null)).toBe(false);
  });
});
