import { describe, expect, it } from 'vitest';
import { compositeCrc32, verifyObjectChecksum } from '../../main/transfer/objectChecksum';
import { fitMemoryBudget, partsInFlightFor } from '../../main/transfer/memoryLimits';
import { GiB, MiB } from '../../main/transfer/partSizing';
import { groupSkipped, sensitiveWarnings } from '../../main/transfer/planWarnings';
import { crc32Base64 } from '../../main/s3/checksums';

describe('skipped files in the summary', () => {
  it('groups by cause, naming the deepest folder that holds the group', () => {
    const groups = groupSkipped([
      ...Array.from({ length: 50 }, (_, i) => ({
        path: `/p/Shoot/day2/${i}.jpg`,
        reason: 'permission denied: the file cannot be read',
      })),
      { path: '/p/Shoot/day3/', reason: 'permission denied: the folder cannot be read' },
      { path: '/p/Shoot/a\uFFFD.jpg', reason: 'the name is not valid UTF-8, and S3 keys must be' },
      { path: '/p/Other/b\uFFFD.jpg', reason: 'the name is not valid UTF-8, and S3 keys must be' },
    ]);
    expect(groups).toEqual([
      { count: 50, reason: 'permission denied: the file cannot be read', folder: '/p/Shoot/day2/' },
      {
        count: 1,
        reason: 'permission denied: the folder cannot be read',
        folder: '/p/Shoot/day3/',
      },
      { count: 2, reason: 'the name is not valid UTF-8, and S3 keys must be', folder: '/p/' },
    ]);
  });

  it('warns about key material before hidden files, and not about ordinary names', () => {
    expect(sensitiveWarnings(['Shoot/a.jpg', 'Shoot/identity.png'])).toEqual([]);
    expect(
      sensitiveWarnings(['Home/.ssh/config', 'Home/id_rsa.pub', 'Home/cert.pem', 'Home/.cache/x']),
    ).toEqual([
      '3 files look like keys or credentials and will be uploaded: Home/.ssh/config, Home/id_rsa.pub, Home/cert.pem',
      '1 hidden file is included: Home/.cache/x',
    ]);
  });
});

describe('memory budget', () => {
  it('keeps the defaults, and lowers parts in flight for large parts, never below one', () => {
    const base = { partSize: 8 * MiB, multipartThreshold: 16 * MiB, partsInFlight: 8 };
    expect(fitMemoryBudget(base)).toEqual({ partsInFlight: 8, note: null });
    expect(fitMemoryBudget({ ...base, partSize: GiB, partsInFlight: 4 }).partsInFlight).toBe(2);
    expect(fitMemoryBudget({ ...base, partSize: 4 * GiB }).partsInFlight).toBe(1);
    expect(partsInFlightFor(525 * MiB, 8)).toBe(3);
  });
});

describe('full-object checksum', () => {
  it('matches the composite CRC32 S3 keeps for a multipart object, and names a mismatch', () => {
    const parts = [Buffer.from('first part'), Buffer.from('second')].map((body, i) => ({
      n: i + 1,
      etag: `"e${i}"`,
      crc32: crc32Base64(body),
    }));
    const composite = compositeCrc32(parts)!;
    expect(composite).toMatch(/-2$/);
    expect(verifyObjectChecksum({ ChecksumCRC32: composite }, parts)).toBeNull();
    expect(verifyObjectChecksum({}, parts)).toBeNull();
    expect(verifyObjectChecksum({ ChecksumCRC32: 'AAAAAA==-2' }, parts)).toMatch(
      /^verification failed: the object's checksum/,
    );
  });
});
