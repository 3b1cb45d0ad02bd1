import { describe, expect, it } from 'vitest';
import { isPrefix, parseHistoryTarget } from '../../renderer/src/historyTarget';

describe('what support staff paste into the History view', () => {
  it('reads s3:// URLs, virtual-hosted and path-style links, and bare keys', () => {
    expect(parseHistoryTarget(' s3://photos/clients/acme/hero.jpg ')).toEqual({
      bucket: 'photos',
      path: 'clients/acme/hero.jpg',
    });
    expect(
      parseHistoryTarget('https://photos.s3.eu-west-1.amazonaws.com/clients/a%20b%2Bc.jpg'),
    ).toEqual({ bucket: 'photos', path: 'clients/a b+c.jpg' });
    expect(parseHistoryTarget('http://127.0.0.1:9000/photos/shoots/day%201/')).toEqual({
      bucket: 'photos',
      path: 'shoots/day 1/',
    });
    expect(parseHistoryTarget('/clients/acme/hero.jpg')).toEqual({
      path: 'clients/acme/hero.jpg',
    });
    expect(parseHistoryTarget('s3://photos')).toEqual({ bucket: 'photos', path: '' });
  });

  it('treats a trailing slash (or nothing) as a prefix, anything else as one key', () => {
    expect(isPrefix('shoots/')).toBe(true);
    expect(isPrefix('')).toBe(true);
    expect(isPrefix('shoots/a.jpg')).toBe(false);
  });
});
