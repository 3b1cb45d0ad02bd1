/**
 * Item 13, second half: an object whose ETag is not an MD5 is still verified where the store
 * allows: by recomputing its multipart ETag from the sizes of its parts. The object and its bytes
 * are the real local server's; Swift refuses `HEAD ?partNumber=` (405), so the part sizes are
 * answered by a middleware that reads them from the upload the test made, the one injected fault.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DownloadError } from '../../main/transfer/download/errors';
import { verifyDownload } from '../../main/transfer/download/verify';
import { tempDir } from '../support/files';
import { checkingClient, freshBucket, localS3 } from '../support/s3env';

const MiB = 1024 * 1024;
const partSizes = [5 * MiB, 5 * MiB, 3 * MiB];
let client: S3Client;
let bucket: string;
let body: Buffer;
let etag: string;

beforeAll(async () => {
  client = checkingClient(localS3());
  bucket = await freshBucket(client, 'sec-verify');
  const parts = partSizes.map((size) => randomBytes(size));
  body = Buffer.concat(parts);
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multi.bin' }),
  );
  const done = [];
  for (const [index, part] of parts.entries()) {
    const { ETag } = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'multi.bin',
        UploadId,
        PartNumber: index + 1,
        Body: part,
      }),
    );
    done.push({ ETag: ETag!, PartNumber: index + 1 });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: 'multi.bin',
      UploadId,
      MultipartUpload: { Parts: done },
    }),
  );
  etag = (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'multi.bin' }))).ETag!;
  // Part HEADs are answered from the sizes uploaded; every other request goes to the server.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { PartNumber?: number };
      if (context.commandName === 'HeadObjectCommand' && input.PartNumber) {
        const output = { ContentLength: partSizes[input.PartNumber - 1], $metadata: {} };
        return { output } as Awaited<ReturnType<typeof next>>;
      }
      return next(args);
    },
    { step: 'initialize', name: 'answerPartHeads' },
  );
});

let file = '';

async function verifyFile(bytes: Buffer): Promise<unknown> {
  file = path.join(tempDir('sec-verify'), 'multi.bin.bucketdrop-partial');
  writeFileSync(file, bytes);
  const handle = await fs.open(file, 'r+');
  try {
    await verifyDownload(
      client,
      { Bucket: bucket, Key: 'multi.bin' },
      handle,
      etag,
      'multipart',
      new AbortController().signal,
    );
    return 'verified';
  } catch (error) {
    return error;
  } finally {
    await handle.close();
  }
}

describe('verifying a multipart object', () => {
  it('the real bytes match the multipart ETag recomputed from their parts', async () => {
    expect(etag).toMatch(/-3"$/);
    expect(await verifyFile(body)).toBe('verified');
    expect((await fs.stat(file)).size).toBe(body.length);
  });

  it('a spliced file of the right length is caught and emptied', async () => {
    const spliced = Buffer.concat([randomBytes(MiB), body.subarray(MiB)]);
    const error = await verifyFile(spliced);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toBe(
      "the downloaded bytes do not match the object's multipart ETag (MD5 of its parts): the file was discarded, retry to download it again",
    );
    expect((await fs.stat(file)).size).toBe(0);
  });
});
