import { randomBytes } from 'node:crypto';
import { RestoreError } from '../archive/restoreRequest';
import { BucketNameError } from '../buckets/createBucket';
import { ChecksumProbeError } from '../credentials/checksumProbe';
import { CredentialsError } from '../credentials/problems';
import { ProfileNameTakenError, ProfileNotFoundError } from '../credentials/profiles';
import {
  IncompleteSecretError,
  SecretUnreadableError,
  WeakEncryptionError,
} from '../credentials/secretStore';
import { LifecycleError } from '../lifecycle/rules';
import { UnencryptedEndpointError } from '../s3/endpointSecurity';
import { UserFacingError } from '../service/uploadService';
import { knownErrorCause } from '../transfer/errors';
import { JournalBusyError } from '../transfer/journalLock';
import { InvalidKeyError } from '../transfer/keys';
import { ObjectTooLargeError } from '../transfer/partSizing';
import { NotDeletedError, NothingToUndeleteError } from '../versions/undelete';

/** Errors whose message we wrote for the user: they explain what to do and pass as they are. */
const EXPLAINED_ERRORS = [
  UserFacingError,
  CredentialsError,
  ProfileNameTakenError,
  ProfileNotFoundError,
  IncompleteSecretError,
  SecretUnreadableError,
  WeakEncryptionError,
  ChecksumProbeError,
  BucketNameError,
  RestoreError,
  LifecycleError,
  InvalidKeyError,
  ObjectTooLargeError,
  JournalBusyError,
  NotDeletedError,
  NothingToUndeleteError,
  UnencryptedEndpointError,
];

const MAX_LENGTH = 300;

/**
 * What the window may read about an error: our own explanations and the causes we know pass;
 * anything else, whose message may name paths, our code or secrets, becomes one sentence with an
 * id that finds the full error in main's log.
 */
export function userSafeMessage(error: unknown, log: (line: string, error: unknown) => void) {
  const explained = EXPLAINED_ERRORS.some((kind) => error instanceof kind)
    ? (error as Error).message
    : knownErrorCause(error);
  if (explained) {
    return explained.length > MAX_LENGTH ? `${explained.slice(0, MAX_LENGTH)}…` : explained;
  }
  const errorId = randomBytes(4).toString('hex');
  log(`Bucketdrop error ${errorId}:`, error);
  return `Something went wrong in Bucketdrop (error ${errorId}). The details are in the app's log.`;
}
