/**
 * The versioned stores the versions tests run on, and the folders they build there. The server is
 * a parameter: each entry names an endpoint with its keys and what that store does. Ceph RGW
 * joins by adding its entry to VERSIONS_SERVERS (see the README's "Tests" section).
 */
import { describe } from 'vitest';
import { localS3, type LocalS3 } from './s3env';

export interface VersionsServer {
  name: string;
  connect(): LocalS3;
  /**
   * Whether removing a key's delete marker makes its previous version current again (S3, RGW),
   * so that an undelete removes the marker and copies nothing.
   */
  removesDeleteMarkers: boolean;
}

export const VERSIONS_SERVERS: VersionsServer[] = [
  // Swift 2.30's s3api, as installed here, brings the previous version back when a marker is
  // removed (checked by the undelete tests, which would fail if it stopped doing so).
  { name: 'Swift', connect: localS3, removesDeleteMarkers: true },
];

/** `describe` once per server, with the server handed to the body. */
export function describeOnEachServer(title: string, body: (server: VersionsServer) => void): void {
  for (const server of VERSIONS_SERVERS) describe(`${title} (${server.name})`, () => body(server));
}
