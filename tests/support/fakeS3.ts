import { createHash } from 'node:crypto';
import { crc32Base64 } from '../../main/s3/checksums';
import { type FakeServer, sendS3Error, sendXml, startFakeServer } from './fakeHttp';

/**
 * Just enough of S3, path-style, to show behaviours the local Swift server cannot: AWS's error
 * codes, its region redirects, and stores that check CRC32 or refuse checksum headers.
 */
export interface FakeS3Options {
  region?: string;
  buckets?: string[];
  /** verify: refuses a wrong x-amz-checksum-crc32; ignore: stores anything; reject: refuses the header. */
  crc32?: 'verify' | 'ignore' | 'reject';
  md5?: 'verify' | 'ignore';
  /** Refuses CompleteMultipartUpload when the parts carry checksums, as Swift 2.30 does. */
  refuseCompleteChecksums?: boolean;
  /** Every request fails so: InvalidAccessKeyId, ExpiredToken ... */
  failWith?: { status: number; code: string; message: string };
}

export interface FakeS3 extends FakeServer {
  objects: Map<string, Buffer>;
  uploads: Set<string>;
}

function signingRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? '')?.[1];
}

export async function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const region = options.region ?? 'us-east-1';
  const buckets = new Set(options.buckets ?? ['photos']);
  const objects = new Map<string, Buffer>();
  const uploads = new Set<string>();
  let nextUpload = 1;
  const server = await startFakeServer((request, response) => {
    if (options.failWith) {
      const { status, code, message } = options.failWith;
      if (request.method === 'HEAD') response.writeHead(status).end();
      else sendS3Error(response, status, code, message);
      return;
    }
    const url = new URL(request.url, 'http://fake');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const query = url.searchParams;
    if (request.method === 'GET' && !bucket) {
      // ListBuckets is global on AWS: any region's endpoint answers it.
      const list = [...buckets]
        .map(
          (name) =>
            `<Bucket><Name>${name}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>`,
        )
        .join('');
      sendXml(
        response,
        200,
        `<ListAllMyBucketsResult><Owner><ID>fake</ID></Owner><Buckets>${list}</Buckets></ListAllMyBucketsResult>`,
      );
      return;
    }
    if (!buckets.has(bucket)) {
      if (request.method === 'HEAD') response.writeHead(404).end();
      else sendS3Error(response, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      return;
    }
    if (signingRegion(request.headers.authorization) !== region) {
      if (request.method === 'HEAD')
        response.writeHead(301, { 'x-amz-bucket-region': region }).end();
      else {
        response.setHeader('x-amz-bucket-region', region);
        sendS3Error(
          response,
          400,
          'AuthorizationHeaderMalformed',
          'wrong region',
          `<Region>${region}</Region>`,
        );
      }
      return;
    }
    if (request.method === 'HEAD' && !key) {
      response.writeHead(200, { 'x-amz-bucket-region': region }).end();
      return;
    }
    if (request.method === 'GET' && !key) {
      sendXml(
        response,
        200,
        `<ListBucketResult><Name>${bucket}</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`,
      );
      return;
    }
    const crc = request.headers['x-amz-checksum-crc32'] as string | undefined;
    const md5 = request.headers['content-md5'] as string | undefined;
    const hasChecksumHeader = Object.keys(request.headers).some((name) =>
      name.startsWith('x-amz-checksum'),
    );
    if (hasChecksumHeader && options.crc32 === 'reject') {
      sendS3Error(response, 400, 'InvalidArgument', 'x-amz-checksum headers are not supported');
      return;
    }
    if (crc && options.crc32 === 'verify' && crc !== crc32Base64(request.body)) {
      sendS3Error(
        response,
        400,
        'BadDigest',
        'The CRC32 you specified did not match the calculated checksum.',
      );
      return;
    }
    if (
      md5 &&
      options.md5 !== 'ignore' &&
      md5 !== createHash('md5').update(request.body).digest('base64')
    ) {
      sendS3Error(
        response,
        400,
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
      return;
    }
    const objectName = `${bucket}/${key}`;
    if (request.method === 'POST' && query.has('uploads')) {
      const uploadId = `upload-${nextUpload++}`;
      uploads.add(uploadId);
      sendXml(
        response,
        200,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    } else if (request.method === 'PUT' && query.has('partNumber')) {
      response.writeHead(200, { etag: '"part"' }).end();
    } else if (request.method === 'POST' && query.has('uploadId')) {
      if (options.refuseCompleteChecksums && request.body.includes('<ChecksumCRC32>')) {
        sendS3Error(response, 400, 'MalformedXML', 'The XML you provided was not well-formed');
        return;
      }
      uploads.delete(query.get('uploadId')!);
      objects.set(objectName, Buffer.alloc(0));
      sendXml(
        response,
        200,
        `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"done-1"</ETag></CompleteMultipartUploadResult>`,
      );
    } else if (request.method === 'DELETE' && query.has('uploadId')) {
      uploads.delete(query.get('uploadId')!);
      response.writeHead(204).end();
    } else if (request.method === 'PUT') {
      objects.set(objectName, request.body);
      response.writeHead(200, { etag: '"object"' }).end();
    } else if (request.method === 'DELETE') {
      objects.delete(objectName);
      response.writeHead(204).end();
    } else {
      sendS3Error(response, 501, 'NotImplemented', `${request.method} ${request.url}`);
    }
  });
  return { ...server, objects, uploads };
}
