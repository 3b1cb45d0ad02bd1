import { describe } from 'vitest';
import { localS3, type LocalS3 } from './s3env';
import { enabledServers, serverDir, serverTag, type ServerName } from './serverNames';

/*
 * A server-side test opts in to both servers with
 * `describeEachServer('what it proves', (server) => { ... })` and asserts what each server really
 * does through `server.features`.
 */
export type { ServerName } from './serverNames';

/** What a server really does, as found by trying it (tests/s3-server/README.md). */
export interface ServerFeatures {
  /** Keeps object tags; both single PUT `x-amz-tagging` and PutObjectTagging. */
  tags: boolean;
  /** Keeps the tags sent with CreateMultipartUpload on the completed object. */
  tagsOnMultipartCreate: boolean;
  /** Storage classes it accepts and reports on HEAD, STANDARD first. */
  storageClasses: readonly string[];
  /** Stores lifecycle rules (GetBucketLifecycleConfiguration gives them back). */
  lifecycle: boolean;
  /** Stores a PublicAccessBlock configuration. */
  blockPublicAccess: boolean;
  /** Refuses every PutObject (403) on a bucket whose PublicAccessBlock has BlockPublicAcls. */
  blockPublicAclsStopsWrites: boolean;
  /** Deleting a delete marker by its version id brings the version below it back. */
  removesDeleteMarkers: boolean;
  /** Deleting a key that is already deleted adds another delete marker. */
  stacksDeleteMarkers: boolean;
  /** Refuses a wrong `x-amz-checksum-crc32` (both servers verify Content-MD5). */
  verifiesCrc32: boolean;
  /** Answers GetBucketPolicyStatus and GetObjectAcl, so "Is this object public?" can decide. */
  publicAccessCheck: boolean;
  /** Refuses (412) a CopyObject from a version whose ETag is not `x-amz-copy-source-if-match`. */
  honoursCopySourceIfMatch: boolean;
}

export interface TestServer extends LocalS3 {
  name: ServerName;
  features: ServerFeatures;
}

const FEATURES: Record<ServerName, ServerFeatures> = {
  swift: {
    tags: false,
    tagsOnMultipartCreate: false,
    storageClasses: ['STANDARD'],
    lifecycle: false,
    blockPublicAccess: false,
    blockPublicAclsStopsWrites: false,
    removesDeleteMarkers: true,
    stacksDeleteMarkers: true,
    verifiesCrc32: false,
    publicAccessCheck: false,
    honoursCopySourceIfMatch: true,
  },
  rgw: {
    tags: true,
    tagsOnMultipartCreate: false,
    storageClasses: ['STANDARD', 'STANDARD_IA', 'GLACIER'],
    lifecycle: true,
    blockPublicAccess: true,
    blockPublicAclsStopsWrites: true,
    removesDeleteMarkers: true,
    stacksDeleteMarkers: false,
    verifiesCrc32: false,
    publicAccessCheck: true,
    honoursCopySourceIfMatch: false,
  },
};

export function testServer(name: ServerName): TestServer {
  return { ...localS3(serverDir(name)), name, features: FEATURES[name] };
}

/** Runs the block once per enabled server, in a suite titled `title [swift]`, `title [rgw]`. */
export function describeEachServer(title: string, body: (server: TestServer) => void): void {
  for (const name of enabledServers()) {
    describe(`${title} ${serverTag(name)}`, () => body(testServer(name)));
  }
}
