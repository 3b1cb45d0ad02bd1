import { describe, expect, it } from 'vitest';
import { bucketNameProblems } from '../../main/buckets/bucketName';
import { uploadOptionsFrom } from '../../main/cli/uploadOptionArgs';
import { UsageError } from '../../main/cli/usage';
import { fitMetadata } from '../../main/transfer/imageMetadata';
import { explainOptionRefusal, withSentSettings } from '../../main/transfer/optionRefusal';
import { objectSettingsInput, validateUploadOptions } from '../../main/transfer/uploadOptions';

function messages(options: Parameters<typeof validateUploadOptions>[0]): string[] {
  return validateUploadOptions(options).map((problem) => `${problem.field}: ${problem.message}`);
}

describe('upload options validation', () => {
  it('accepts a full, valid set', () => {
    expect(
      messages({
        storageClass: 'GLACIER_IR',
        cacheControl: 'public, max-age=31536000, immutable',
        contentDisposition: 'attachment',
        acl: 'bucket-owner-full-control',
        sse: 'aws:kms',
        sseKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abcd',
        metadata: [{ key: 'Project', value: 'Spring shoot' }],
        tags: [{ key: 'client', value: 'Acme Café' }],
        exifMetadata: true,
        includeGps: true,
      }),
    ).toEqual([]);
  });

  it('explains each broken metadata rule, naming the key', () => {
    const problems = messages({
      metadata: [
        { key: 'has space', value: 'x' },
        { key: 'Owner', value: 'a' },
        { key: 'owner', value: 'b' },
        { key: 'city', value: 'Zürich' },
        { key: '', value: 'x' },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^metadata: metadata key "has space" may only contain ASCII letters/),
      expect.stringMatching(/metadata key "owner" appears twice \(S3 stores keys in lowercase/),
      expect.stringMatching(/value of metadata key "city" may only contain printable ASCII/),
      'metadata: a metadata key is empty',
    ]);
  });

  it('counts the 2 KB metadata budget as S3 does: bytes of keys and values', () => {
    const fits = [{ key: 'a'.repeat(24), value: 'b'.repeat(2024) }];
    expect(messages({ metadata: fits })).toEqual([]);
    const over = [{ key: 'a'.repeat(25), value: 'b'.repeat(2024) }];
    expect(messages({ metadata: over })).toEqual([
      'metadata: user metadata takes 2049 bytes; S3 allows 2048 (keys and values together)',
    ]);
  });

  it('holds tags to S3 limits: 10 tags, keys of 128 and values of 256 characters', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(messages({ tags: eleven })).toEqual(['tags: 11 tags: S3 allows at most 10 per object']);
    expect(
      messages({
        tags: [
          { key: 'k'.repeat(129), value: 'v' },
          { key: 'long', value: 'v'.repeat(257) },
          { key: 'bad', value: 'semi;colon' },
          { key: 'aws:owner', value: 'x' },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/the key is longer than 128 characters/),
      'tags: tag "long": the value is longer than 256 characters',
      expect.stringMatching(/tag "bad": tags may only contain letters, digits, spaces/),
      'tags: tag "aws:owner": keys starting with "aws:" are reserved',
    ]);
  });

  it('refuses header values that would not survive HTTP, and a KMS key without SSE-KMS', () => {
    expect(
      messages({
        cacheControl: 'max-age=60\r\nx-evil: 1',
        contentDisposition: ' ',
        sse: 'AES256',
        sseKmsKeyId: 'key',
        includeGps: true,
      }),
    ).toEqual([
      'cacheControl: Cache-Control may only contain printable ASCII characters (it becomes an HTTP header)',
      'contentDisposition: Content-Disposition is empty: clear it or fill it in',
      'sseKmsKeyId: a KMS key ID only applies with SSE-KMS (aws:kms) encryption',
      'includeGps: GPS coordinates are only copied together with the image metadata (EXIF)',
    ]);
  });

  it('turns options into request fields; the user wins over image metadata of the same key', () => {
    expect(
      objectSettingsInput(
        {
          storageClass: 'STANDARD_IA',
          sse: 'aws:kms',
          sseKmsKeyId: 'k1',
          metadata: [{ key: 'Width', value: 'mine' }],
          tags: [{ key: 'a b', value: 'c&d' }],
        },
        [
          { key: 'width', value: '640' },
          { key: 'height', value: '480' },
        ],
      ),
    ).toEqual({
      StorageClass: 'STANDARD_IA',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'k1',
      Metadata: { width: 'mine', height: '480' },
      Tagging: 'a%20b=c%26d',
    });
    expect(objectSettingsInput(undefined)).toEqual({});
  });

  it('names the option a store refused from the request that carried it, whatever the message', () => {
    const refused = (name: string, message: string, sent: Parameters<typeof withSentSettings>[1]) =>
      withSentSettings(Object.assign(new Error(message), { name }), sent);
    // Ceph RGW: InvalidRequest with an empty message (the SDK says "UnknownError").
    expect(
      explainOptionRefusal(
        refused('InvalidRequest', 'UnknownError', { ServerSideEncryption: 'AES256' }),
        {
          sse: 'AES256',
        },
      ),
    ).toMatch(/does not support server-side encryption \(AES256\)/);
    expect(
      explainOptionRefusal(refused('NotImplemented', 'Not implemented', { Tagging: 'a=b' }), {
        tags: [{ key: 'a', value: 'b' }],
      }),
    ).toMatch(/does not support object tags/);
    expect(
      explainOptionRefusal(
        refused('InvalidArgument', 'UnknownError', { StorageClass: 'DEEP_ARCHIVE' }),
        {
          storageClass: 'DEEP_ARCHIVE',
        },
      ),
    ).toMatch(/does not accept storage class DEEP_ARCHIVE/);
    // Several options sent: the message narrows them down, or all are named.
    const both = { ServerSideEncryption: 'AES256' as const, Tagging: 'a=b' };
    const options = { sse: 'AES256' as const, tags: [{ key: 'a', value: 'b' }] };
    expect(
      explainOptionRefusal(
        refused('NotImplemented', 'Object tagging is not supported.', both),
        options,
      ),
    ).toMatch(/does not support object tags/);
    expect(explainOptionRefusal(refused('InvalidRequest', 'UnknownError', both), options)).toMatch(
      /refused one of this upload's options \(server-side encryption \(AES256\), object tags\)/,
    );
    // A request that carried no options (an UploadPart) is not blamed on them.
    expect(
      explainOptionRefusal(Object.assign(new Error('x'), { name: 'InvalidRequest' }), {
        sse: 'AES256',
      }),
    ).toBeNull();
    expect(
      explainOptionRefusal(Object.assign(new Error('x'), { name: 'InvalidStorageClass' }), {
        storageClass: 'GLACIER',
      }),
    ).toMatch(/does not accept storage class GLACIER/);
    expect(
      explainOptionRefusal(Object.assign(new Error('x'), { name: 'AccessDenied' }), {}),
    ).toBeNull();
  });
});

describe('image metadata within the 2 KB budget', () => {
  const image = [
    { key: 'width', value: '6000' },
    { key: 'height', value: '4000' },
    { key: 'camera-model', value: 'Canon EOS R5' },
  ];

  it('keeps everything when there is room', () => {
    expect(fitMetadata(image, [])).toEqual({ entries: image });
  });

  it('shortens or drops image values rather than failing, and says so', () => {
    const user = [{ key: 'notes', value: 'n'.repeat(2048 - 5 - 40) }];
    const fitted = fitMetadata(image, user);
    expect(fitted.entries).toEqual([
      { key: 'width', value: '6000' },
      { key: 'height', value: '4000' },
      { key: 'camera-model', value: 'Canon EOS' },
    ]);
    expect(fitted.note).toMatch(/shortened camera-model .* 2 KB/);
    const full = fitMetadata(image, [{ key: 'notes', value: 'n'.repeat(2048 - 5) }]);
    expect(full.entries).toEqual([]);
    expect(full.note).toMatch(/left out width, height, camera-model/);
  });
});

describe('bucket names', () => {
  const good = ['photos', 'my-photos.2024', 'a1b', '123', 'x'.repeat(63), 'www.example.com'];
  it.each(good)('accepts %s', (name) => {
    expect(bucketNameProblems(name)).toEqual([]);
  });

  const bad: Array<[string, RegExp]> = [
    ['ab', /2 characters; a bucket name has 3 to 63/],
    ['x'.repeat(64), /64 characters/],
    ['My_Photos', /contains "M", "_", "P": only lowercase letters.*\(no capitals\)/],
    ['my photos', /contains a space/],
    ['-photos', /must start with a lowercase letter or a digit/],
    ['photos-', /must end with a lowercase letter or a digit/],
    ['photos..2024', /two dots in a row/],
    ['photos.-2024', /dot may not be next to a hyphen/],
    ['192.168.5.4', /looks like an IP address/],
    ['xn--photos', /starts with "xn--"/],
    ['sthree-photos', /starts with "sthree-"/],
    ['photos-s3alias', /ends with "-s3alias"/],
    ['photos--ol-s3', /ends with "--ol-s3"/],
    ['photos.mrap', /ends with ".mrap"/],
    ['photos--x-s3', /ends with "--x-s3"/],
  ];
  it.each(bad)('refuses %s and says why', (name, reason) => {
    expect(bucketNameProblems(name).join('\n')).toMatch(reason);
  });
});

describe('upload option flags of the command line', () => {
  it('reads every flag with the same rules as the app', () => {
    expect(
      uploadOptionsFrom({
        'storage-class': 'standard_ia',
        'cache-control': 'no-cache',
        'content-disposition': 'attachment',
        acl: 'public-read',
        sse: 'aws:kms',
        'sse-kms-key-id': 'k1',
        meta: ['project=spring=2024', 'owner=ann'],
        tag: ['client=acme'],
        'exif-meta': true,
        'exif-gps': true,
      }),
    ).toEqual({
      storageClass: 'STANDARD_IA',
      cacheControl: 'no-cache',
      contentDisposition: 'attachment',
      acl: 'public-read',
      sse: 'aws:kms',
      sseKmsKeyId: 'k1',
      metadata: [
        { key: 'project', value: 'spring=2024' },
        { key: 'owner', value: 'ann' },
      ],
      tags: [{ key: 'client', value: 'acme' }],
      exifMetadata: true,
      includeGps: true,
    });
    expect(uploadOptionsFrom({})).toBeUndefined();
  });

  it('refuses wrong values with the broken rule', () => {
    expect(() => uploadOptionsFrom({ meta: ['novalue'] })).toThrow(
      new UsageError('--meta takes key=value, not "novalue"'),
    );
    expect(() => uploadOptionsFrom({ sse: 'aes' })).toThrow(/--sse takes AES256/);
    expect(() => uploadOptionsFrom({ 'storage-class': 'cold' })).toThrow(
      /"COLD" is not an S3 storage class/,
    );
    expect(() => uploadOptionsFrom({ acl: 'public' })).toThrow(/"public" is not a canned ACL/);
    expect(() => uploadOptionsFrom({ 'exif-gps': true })).toThrow(/only copied together/);
  });
});
