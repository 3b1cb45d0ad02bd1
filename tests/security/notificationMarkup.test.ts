import { describe, expect, it } from 'vitest';
import { notificationBody } from '../../main/app/notificationText';

describe('#13 item 10: Linux notifications show a key as text, not markup', () => {
  const key = '<a href="https://evil.example/">Sign in</a> & <b>pay</b>.jpg failed';

  it('escapes & < > on Linux', () => {
    const body = notificationBody(key, 'linux');
    expect(body).toBe(
      '&lt;a href="https://evil.example/"&gt;Sign in&lt;/a&gt; &amp; &lt;b&gt;pay&lt;/b&gt;.jpg failed',
    );
    expect(body).not.toMatch(/[<>]/);
  });

  it('leaves the text alone where notifications are plain text', () => {
    expect(notificationBody(key, 'darwin')).toBe(key);
    expect(notificationBody(key, 'win32')).toBe(key);
  });
});
