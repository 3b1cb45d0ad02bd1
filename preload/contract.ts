/**
 * The one contract between main, preload and renderer: channel names and the types that cross
 * them. Types and constants only, so that the renderer can import it with `import type` and the
 * sandboxed preload stays tiny.
 */

export type ItemState =
  'queued' | 'uploading' | 'paused' | 'verifying' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface ItemProgress {
  id: string;
  batchId: string;
  /** Where the file is on disk; shown to the user, never sent back by the renderer. */
  path: string;
  bucket: string;
  key: string;
  size: number;
  bytesDone: number;
  state: ItemState;
  /** Bytes per second over the last few seconds. */
  rate: number;
  etaSeconds: number | null;
  /** Plain-words cause of a failure. */
  error?: string;
  /** Why something unusual happened, e.g. why an item restarted from scratch. */
  note?: string;
}

export interface OverallProgress {
  bytesDone: number;
  bytesTotal: number;
  filesTotal: number;
  filesDone: number;
  filesFailed: number;
  filesSkipped: number;
  filesActive: number;
  rate: number;
  etaSeconds: number | null;
  retries: number;
}

export interface ProgressSnapshot {
  /** Only the items that changed since the previous snapshot. */
  items: ItemProgress[];
  overall: OverallProgress;
  /** Items forgotten since the previous snapshot ("clear finished", "remove"). */
  removed?: string[];
}

export type ChecksumMode = 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
export type ConflictPolicy = 'overwrite' | 'skip' | 'rename';

export interface Destination {
  bucket: string;
  prefix: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface PreflightFile {
  key: string;
  size: number;
  contentType: string;
}

export interface PreflightConflict {
  key: string;
  size: number;
  existingSize: number;
  existingLastModified: string | null;
}

/** What a drop or a pick would upload, shown before anything is sent. */
export interface Preflight {
  id: string;
  destination: Destination;
  fileCount: number;
  totalBytes: number;
  /** The first files, for the key preview; the full list stays in main. */
  sample: PreflightFile[];
  skipped: SkippedFile[];
  conflicts: PreflightConflict[];
  /** False when the bucket could not be listed, so conflicts are unknown until upload. */
  conflictsChecked: boolean;
  /** The destination's default upload options, which the batch may override. */
  uploadOptions?: UploadOptions;
}

export interface StartUploadRequest {
  preflightId: string;
  /** Policy for conflicting keys not listed in `perKey`. */
  onConflict: ConflictPolicy;
  perKey?: Record<string, ConflictPolicy>;
  /** How this batch's objects are stored; absent: plain private uploads. */
  uploadOptions?: UploadOptions;
}

export type QueueAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'remove' | 'clear-finished';

export interface QueueActionRequest {
  action: QueueAction;
  /** All items when absent. */
  ids?: string[];
}

export type ProfileKind = 'aws-profile' | 'environment' | 'access-key';

/** A connection as the window sees it: never a secret, only whether one is stored. */
export interface ConnectionProfileView {
  id: string;
  name: string;
  kind: ProfileKind;
  awsProfileName?: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  checksumMode: ChecksumMode;
  defaultBucket?: string;
  defaultPrefix?: string;
  cloudFrontDomains?: Record<string, string>;
  bucketRegions?: Record<string, string>;
  /** A key and secret are stored: the editor shows "••••" and sends a secret only when changed. */
  hasSecret: boolean;
  /** First and last four characters of the stored access key ID. */
  accessKeyIdHint?: string;
}

/** What the editor sends back; secrets travel apart, in a SecretPatch, and only when changed. */
export type ConnectionDraft = Omit<
  ConnectionProfileView,
  'id' | 'hasSecret' | 'accessKeyIdHint' | 'bucketRegions'
> & { id?: string };

export interface SecretPatch {
  accessKeyId?: string;
  secretAccessKey?: string;
  /** null removes a stored session token. */
  sessionToken?: string | null;
}

export interface AwsProfileOption {
  name: string;
  kind: string;
  region?: string;
}

export interface ConnectionsOverview {
  profiles: ConnectionProfileView[];
  /** Profiles found in the AWS shared config and credentials files. */
  awsProfiles: AwsProfileOption[];
  /** Weak when the OS offers no keychain: the window must ask before a secret is stored. */
  encryption: { strong: true } | { strong: false; warning: string };
}

export type SaveConnectionResult =
  | { saved: ConnectionProfileView }
  /** Nothing was stored: show the warning, and save again with allowWeakEncryption if agreed. */
  | { needsConsent: string };

export type ConnectionTestResult =
  | {
      ok: true;
      message: string;
      buckets?: string[];
      listBucketsDenied?: boolean;
      region: string;
      detectedRegion?: string;
    }
  | { ok: false; problem: string; message: string; detectedRegion?: string };

export interface ChecksumProbeResult {
  mode: ChecksumMode;
  reason: string;
  verified: boolean;
}

export interface Settings {
  /** The connection uploads and listings use; null is the environment's default chain. */
  activeConnectionId: string | null;
  filesInFlight: number;
  partsInFlight: number;
  partSizeMiB: number;
  checksumMode: ChecksumMode;
  skipJunkFiles: boolean;
  autoResumeOnLaunch: boolean;
  defaultConflictPolicy: ConflictPolicy | 'ask';
  destination: Destination;
  /** Upload options per destination; the longest matching prefix wins. Absent: none. */
  uploadDefaults?: UploadDefaults[];
}

/** Storage classes S3 accepts on an upload (the SDK's StorageClass list, minus FSx and Backup). */
export type StorageClass =
  | 'STANDARD'
  | 'REDUCED_REDUNDANCY'
  | 'STANDARD_IA'
  | 'ONEZONE_IA'
  | 'INTELLIGENT_TIERING'
  | 'GLACIER'
  | 'DEEP_ARCHIVE'
  | 'GLACIER_IR'
  | 'OUTPOSTS'
  | 'SNOW'
  | 'EXPRESS_ONEZONE';

export type CannedAcl =
  | 'private'
  | 'public-read'
  | 'public-read-write'
  | 'authenticated-read'
  | 'aws-exec-read'
  | 'bucket-owner-read'
  | 'bucket-owner-full-control';

export interface KeyValue {
  key: string;
  value: string;
}

/** How objects are stored: applied when an upload is created, kept in the journal for resumes. */
export interface UploadOptions {
  /** Absent: the bucket's default (STANDARD), no header sent. */
  storageClass?: StorageClass;
  cacheControl?: string;
  contentDisposition?: string;
  /** Absent: private, no ACL header (what buckets with ACLs disabled require). */
  acl?: CannedAcl;
  sse?: 'AES256' | 'aws:kms';
  /** Only with sse 'aws:kms'; absent: the account's AWS managed key. */
  sseKmsKeyId?: string;
  /** x-amz-meta-* headers; keys are stored lowercase by S3. */
  metadata?: KeyValue[];
  tags?: KeyValue[];
  /** Copies width, height, capture date, camera and orientation into x-amz-meta-*. */
  exifMetadata?: boolean;
  /** With exifMetadata: also the GPS position. Off unless the user opts in. */
  includeGps?: boolean;
}

export type UploadOptionField = keyof UploadOptions;

/** One broken rule, in plain words, for the field it belongs to. */
export interface UploadOptionProblem {
  field: UploadOptionField;
  message: string;
}

export interface UploadDefaults {
  /** null: the environment's credentials. */
  connectionId: string | null;
  bucket: string;
  prefix: string;
  options: UploadOptions;
}

/** Before Start: the broken rules, and what the bucket and store say about the options. */
export interface UploadOptionsCheck {
  problems: UploadOptionProblem[];
  /** Things to know that do not block, e.g. an ACL check that could not be made. */
  notices: string[];
}

export interface NewBucketRequest {
  name: string;
  /** Absent: the connection's region. */
  region?: string;
  /** On by default: an overwrite or delete keeps the previous version, so nothing is lost. */
  versioning: boolean;
  blockPublicAccess: boolean;
  /** Aborts multipart uploads still incomplete after 7 days, which S3 would bill for ever. */
  abortIncompleteUploadsAfter7Days: boolean;
}

export interface BucketSetupStep {
  step: 'create' | 'versioning' | 'block-public-access' | 'lifecycle';
  ok: boolean;
  message: string;
}

/** One setting of a bucket, or why it could not be read. */
export type OverviewItem =
  { known: true; value: string; details?: string[] } | { known: false; reason: string };

export interface BucketOverview {
  bucket: string;
  region: OverviewItem;
  versioning: OverviewItem;
  publicAccessBlock: OverviewItem;
  encryption: OverviewItem;
  lifecycle: OverviewItem;
}

/** "Is this object public?": the answer and the reasoning behind it, in plain words. */
export interface ObjectAccessReport {
  verdict: 'public' | 'not-public' | 'unknown';
  summary: string;
  reasons: string[];
}

export interface Notice {
  kind: 'restored' | 'batch-finished' | 'error';
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const CHANNEL_PREFIX = 'bucketdrop:';

export const INVOKE = {
  planDropped: 'bucketdrop:upload:plan-dropped',
  pick: 'bucketdrop:upload:pick',
  startUpload: 'bucketdrop:upload:start',
  discardPreflight: 'bucketdrop:upload:discard',
  queueAction: 'bucketdrop:queue:action',
  queueSnapshot: 'bucketdrop:queue:snapshot',
  resumeUnfinished: 'bucketdrop:queue:resume-unfinished',
  getSettings: 'bucketdrop:settings:get',
  updateSettings: 'bucketdrop:settings:update',
  listBuckets: 'bucketdrop:s3:list-buckets',
  connectionsOverview: 'bucketdrop:connections:overview',
  saveConnection: 'bucketdrop:connections:save',
  removeConnection: 'bucketdrop:connections:remove',
  testConnection: 'bucketdrop:connections:test',
  probeChecksums: 'bucketdrop:connections:probe-checksums',
  checkUploadOptions: 'bucketdrop:buckets:check-upload-options',
  createBucket: 'bucketdrop:buckets:create',
  bucketOverview: 'bucketdrop:buckets:overview',
  objectAccess: 'bucketdrop:buckets:object-access',
} as const;

export const EVENTS = {
  progress: 'bucketdrop:event:progress',
  notice: 'bucketdrop:event:notice',
} as const;

/** Each invoke channel's payload and answer: the single source for main, preload and tests. */
export interface InvokeMap {
  [INVOKE.planDropped]: {
    request: { paths: string[]; destination: Destination };
    response: Preflight;
  };
  [INVOKE.pick]: {
    request: { kind: 'files' | 'folder'; destination: Destination };
    response: Preflight | null;
  };
  [INVOKE.startUpload]: { request: StartUploadRequest; response: { batchIds: string[] } };
  [INVOKE.discardPreflight]: { request: { preflightId: string }; response: null };
  [INVOKE.queueAction]: { request: QueueActionRequest; response: null };
  [INVOKE.queueSnapshot]: { request: null; response: ProgressSnapshot };
  [INVOKE.resumeUnfinished]: { request: null; response: { items: number } };
  [INVOKE.getSettings]: { request: null; response: Settings };
  [INVOKE.updateSettings]: { request: Partial<Settings>; response: Settings };
  [INVOKE.listBuckets]: { request: null; response: string[] };
  [INVOKE.connectionsOverview]: { request: null; response: ConnectionsOverview };
  [INVOKE.saveConnection]: {
    request: { draft: ConnectionDraft; secret?: SecretPatch; allowWeakEncryption?: boolean };
    response: SaveConnectionResult;
  };
  [INVOKE.removeConnection]: { request: { id: string }; response: null };
  [INVOKE.testConnection]: {
    /** A saved connection by id, or an unsaved draft with the secret typed so far. */
    request: { id?: string; draft?: ConnectionDraft; secret?: SecretPatch; bucket?: string };
    response: ConnectionTestResult;
  };
  [INVOKE.probeChecksums]: {
    request: { id: string; bucket: string };
    response: ChecksumProbeResult;
  };
  [INVOKE.checkUploadOptions]: {
    request: { bucket: string; options: UploadOptions };
    response: UploadOptionsCheck;
  };
  [INVOKE.createBucket]: { request: NewBucketRequest; response: BucketSetupStep[] };
  [INVOKE.bucketOverview]: { request: { bucket: string }; response: BucketOverview };
  [INVOKE.objectAccess]: { request: { bucket: string; key: string }; response: ObjectAccessReport };
}

export type InvokeChannel = keyof InvokeMap;

export interface EventMap {
  [EVENTS.progress]: ProgressSnapshot;
  [EVENTS.notice]: Notice;
}

/** The object the preload exposes as `window.bucketdrop`. */
export interface BucketdropApi {
  /** Dropped `File`s: the preload resolves their paths; the renderer never sees them. */
  planDroppedFiles(files: File[], destination: Destination): Promise<Result<Preflight>>;
  pick(kind: 'files' | 'folder', destination: Destination): Promise<Result<Preflight | null>>;
  startUpload(request: StartUploadRequest): Promise<Result<{ batchIds: string[] }>>;
  discardPreflight(preflightId: string): Promise<Result<null>>;
  queueAction(request: QueueActionRequest): Promise<Result<null>>;
  queueSnapshot(): Promise<Result<ProgressSnapshot>>;
  resumeUnfinished(): Promise<Result<{ items: number }>>;
  getSettings(): Promise<Result<Settings>>;
  updateSettings(patch: Partial<Settings>): Promise<Result<Settings>>;
  listBuckets(): Promise<Result<string[]>>;
  connectionsOverview(): Promise<Result<ConnectionsOverview>>;
  saveConnection(
    request: InvokeMap[typeof INVOKE.saveConnection]['request'],
  ): Promise<Result<SaveConnectionResult>>;
  removeConnection(id: string): Promise<Result<null>>;
  testConnection(
    request: InvokeMap[typeof INVOKE.testConnection]['request'],
  ): Promise<Result<ConnectionTestResult>>;
  probeChecksums(id: string, bucket: string): Promise<Result<ChecksumProbeResult>>;
  checkUploadOptions(bucket: string, options: UploadOptions): Promise<Result<UploadOptionsCheck>>;
  createBucket(request: NewBucketRequest): Promise<Result<BucketSetupStep[]>>;
  bucketOverview(bucket: string): Promise<Result<BucketOverview>>;
  objectAccess(bucket: string, key: string): Promise<Result<ObjectAccessReport>>;
  onProgress(listener: (snapshot: ProgressSnapshot) => void): () => void;
  onNotice(listener: (notice: Notice) => void): () => void;
}

export const API_METHODS = [
  'planDroppedFiles',
  'pick',
  'startUpload',
  'discardPreflight',
  'queueAction',
  'queueSnapshot',
  'resumeUnfinished',
  'getSettings',
  'updateSettings',
  'listBuckets',
  'connectionsOverview',
  'saveConnection',
  'removeConnection',
  'testConnection',
  'probeChecksums',
  'checkUploadOptions',
  'createBucket',
  'bucketOverview',
  'objectAccess',
  'onProgress',
  'onNotice',
] as const satisfies ReadonlyArray<keyof BucketdropApi>;

declare global {
  interface Window {
    bucketdrop: BucketdropApi;
  }
}
