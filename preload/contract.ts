/**
 * The one contract between main, preload and renderer: channel names and the types that cross
 * them. Types and constants only, so that the renderer can import it with `import type` and the
 * sandboxed preload stays tiny.
 */

export type ItemState =
  'queued' | 'uploading' | 'paused' | 'verifying' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** Absent on upload items, which came first. 'restore': a step of a point-in-time restore. */
export type TransferDirection = 'upload' | 'download' | 'restore';

export interface ItemProgress {
  id: string;
  batchId: string;
  /**
   * A download's `state: 'uploading'` means it is transferring: the states are shared so the
   * queue's actions and counts work the same for both directions.
   */
  direction?: TransferDirection;
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
  /** Only on the rows of a point-in-time restore: what the step does, and the moment (ISO). */
  versionStep?: { kind: 'restore' | 'undelete' | 'delete'; at: string };
  /** Only on the row of an upload batch a crash interrupted while it was being prepared. */
  preparing?: { files: number; sources: number };
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
  /** Left out by the user's own choice (junk filter), so not a reason to report an incomplete upload. */
  excluded?: boolean;
}

/** A symbolic link in a dropped folder whose target lies outside it. */
export interface OutsideLink {
  path: string;
  target: string;
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
  /** Links leading out of the dropped folders: skipped unless `followsOutsideLinks`. */
  outsideLinks?: OutsideLink[];
  followsOutsideLinks?: boolean;
  /** Hidden files or key material included, in plain sentences. */
  warnings?: string[];
}

export interface StartUploadRequest {
  preflightId: string;
  /** Policy for conflicting keys not listed in `perKey`. */
  onConflict: ConflictPolicy;
  perKey?: Record<string, ConflictPolicy>;
  /** How this batch's objects are stored; absent: plain private uploads. */
  uploadOptions?: UploadOptions;
  /** Also upload what the preflight's `outsideLinks` point to (the user ticked it). */
  followOutsideLinks?: boolean;
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
  /** The user acknowledged plain http to this private-network endpoint (shown on the pill). */
  allowUnencrypted?: boolean;
  /** A PEM CA certificate trusted for this endpoint besides the system's (self-signed stores). */
  caCertificate?: string;
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
  /** Plain http to a private AWS_ENDPOINT_URL, acknowledged by the user. */
  allowUnencryptedEnvironmentEndpoint?: boolean;
  /** Keys worked on at once by an undelete or a point-in-time restore (RESTORE_CONCURRENCY). */
  restoreConcurrency?: number;
}

/** Keys worked on at once by an undelete or a point-in-time restore: the default and the cap. */
export const RESTORE_CONCURRENCY = { default: 16, max: 64 } as const;

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
  step: 'create' | 'versioning' | 'block-public-access' | 'lifecycle' | 'write-check';
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

/* Bucket browser */

export interface BrowseObject {
  key: string;
  size: number;
  lastModified: string | null;
  etag: string;
  storageClass: string;
}

export type BucketVersioning = 'Enabled' | 'Suspended' | 'Off' | 'unknown';

export interface ListPageRequest {
  bucket: string;
  /** The folder shown, ending in `/` (or empty for the bucket's root). */
  prefix: string;
  /** Typed text that starts the names: sent to the server as part of the prefix. */
  startsWith?: string;
  continuationToken?: string;
}

/** One page of a folder: never the whole listing, the renderer asks for more as it scrolls. */
export interface ListPage {
  prefixes: string[];
  objects: BrowseObject[];
  /** Null on the last page. */
  continuationToken: string | null;
  /** Only on the first page of a folder. */
  versioning?: BucketVersioning;
}

export interface ArchiveStatus {
  archived: boolean;
  /** From `x-amz-restore`: none asked, restore under way, or a readable copy until a date. */
  restore: { state: 'none' } | { state: 'ongoing' } | { state: 'restored'; until: string | null };
}

export interface ObjectDetails {
  bucket: string;
  key: string;
  size: number;
  contentType: string | null;
  lastModified: string | null;
  storageClass: string;
  etag: string;
  versionId: string | null;
  cacheControl: string | null;
  contentDisposition: string | null;
  serverSideEncryption: string | null;
  metadata: Record<string, string>;
  tags: { available: true; tags: Record<string, string> } | { available: false; reason: string };
  versioning: BucketVersioning;
  archive: ArchiveStatus;
}

export interface ThumbnailRequest {
  bucket: string;
  key: string;
  etag: string;
  size: number;
  storageClass: string;
}

export type Thumbnail =
  | { kind: 'image'; dataUrl: string }
  | {
      kind: 'placeholder';
      reason: 'not-image' | 'archived' | 'too-large' | 'failed';
      message: string;
    };

export interface DeleteRequest {
  bucket: string;
  keys: string[];
  /** Folders: everything under each is deleted. */
  prefixes: string[];
}

export interface DeleteReport {
  deleted: number;
  failures: Array<{ key: string; message: string }>;
}

export interface ShareLinksRequest {
  bucket: string;
  key: string;
  expiresInSeconds: number;
}

export interface ShareLinks {
  virtualHosted: string;
  pathStyle: string;
  cloudFront: string | null;
  presigned: {
    url: string;
    expiresAt: string;
    /**
     * Session credentials sign the link, so it dies with them: `session-expiry` when that
     * moved `expiresAt` earlier, `session-unknown` when their end is not known.
     */
    limitedBy?: 'session-expiry' | 'session-unknown';
  };
}
/* ---- Versions (history, restore, undelete, point in time, audit) ---- */

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Unversioned';

export interface ObjectVersionView {
  key: string;
  versionId: string;
  isDeleteMarker: boolean;
  isLatest: boolean;
  /** ISO 8601. */
  lastModified: string;
  /** Absent for delete markers. */
  size?: number;
  etag?: string;
  storageClass?: string;
}

/** Where the next page of a listing starts; the window only passes it back. */
export interface VersionCursorView {
  keyMarker: string;
  versionIdMarker?: string;
}

export interface VersionListPage {
  versions: ObjectVersionView[];
  /** Absent when there is nothing more to load. */
  next?: VersionCursorView;
}

export interface VersionRefView {
  bucket: string;
  key: string;
  versionId: string;
}

export type VersionPreview =
  | { kind: 'image'; dataUrl: string; width: number; height: number }
  | { kind: 'none'; reason: string };

/** Presigned link lifetimes offered to the user: an hour, a day, 7 days (S3's maximum). */
export type LinkExpirySeconds = 3600 | 86_400 | 604_800;

export interface VersionLink {
  url: string;
  /** ISO 8601: the earlier of the chosen lifetime and the signing credentials' own expiry. */
  expiresAt: string;
  /** Why the link lives shorter than chosen (temporary credentials), when it does. */
  note?: string;
}

export interface RestoreVersionResult {
  key: string;
  sourceVersionId: string;
  newVersionId?: string;
  method: 'copy' | 'multipart-copy';
}

export type UndeleteStrategyView = 'removed-delete-marker' | 'copied-previous-version';

export interface UndeleteKeyResult {
  key: string;
  ok: boolean;
  strategy?: UndeleteStrategyView;
  /** What was done, or why it failed. */
  detail: string;
}

export interface DeletedKeyView {
  key: string;
  /** When the delete marker was made, ISO 8601. */
  deletedAt: string;
}

export interface DeletedKeysPage {
  keys: DeletedKeyView[];
  next?: VersionCursorView;
}

export interface PointInTimeRequest {
  bucket: string;
  prefix: string;
  /** ISO 8601. */
  at: string;
  deleteCreatedSince: boolean;
}

export type PlanActionView =
  | { kind: 'restore'; key: string; versionId: string; currentVersionId: string }
  | { kind: 'undelete'; key: string; versionId: string }
  | { kind: 'delete'; key: string; currentVersionId: string };

export interface PointInTimePlanView {
  /** Applying names the plan by this id; main keeps the plan itself. */
  planId: string;
  bucket: string;
  prefix: string;
  at: string;
  actions: PlanActionView[];
  createdSince: string[];
  unchanged: number;
}

export interface PlanActionResultView {
  key: string;
  kind: PlanActionView['kind'];
  ok: boolean;
  detail: string;
}

export interface PointInTimeProgress {
  planId: string;
  done: number;
  total: number;
  finished: boolean;
  results: PlanActionResultView[];
}

export interface AuditEntryView {
  time: string;
  operation: 'restore' | 'undelete' | 'delete' | 'permanent-delete';
  profile: string;
  bucket: string;
  key: string;
  fromVersion?: string;
  toVersion?: string;
  result: 'ok' | 'failed';
  detail?: string;
}

export type AuditExportFormat = 'csv' | 'json';

/** What the bucket browser hands over for a download. */
export interface DownloadSelection {
  bucket: string;
  keys: string[];
  prefixes: string[];
  /** Specific versions of keys, e.g. from the versions panel. */
  versions?: { key: string; versionId: string }[];
}

export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk';

export interface RestoreRequest {
  bucket: string;
  key: string;
  days: number;
  tier: RestoreTier;
}

export interface RestoreStatus {
  state: 'in-progress' | 'restored';
  /** When the restored copy goes away again (ISO 8601), once the store says. */
  expiresAt?: string;
  message: string;
}

export interface LifecycleRuleView {
  id: string;
  enabled: boolean;
  /** What the rule does, one plain sentence per action. */
  sentences: string[];
}

export type LifecycleOverview =
  { supported: true; rules: LifecycleRuleView[] } | { supported: false; message: string };

/** The two recommended rules; either may be left out. */
export interface LifecycleAdditions {
  glacier?: { prefix: string; days: number };
  abortIncomplete?: { days: number };
}

export interface LifecyclePreview {
  /** Every rule after the change: the existing ones first, untouched. */
  rules: LifecycleRuleView[];
  /** IDs of the rules that are (or would be) added. */
  added: string[];
  /** Why a requested rule is not added (an equivalent one exists, or its ID is taken). */
  notAdded: string[];
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
  listPage: 'bucketdrop:browse:list-page',
  objectDetails: 'bucketdrop:browse:object-details',
  thumbnail: 'bucketdrop:browse:thumbnail',
  createFolder: 'bucketdrop:browse:create-folder',
  deleteObjects: 'bucketdrop:browse:delete',
  shareLinks: 'bucketdrop:browse:share-links',
  versioningStatus: 'bucketdrop:versions:status',
  enableVersioning: 'bucketdrop:versions:enable',
  listVersions: 'bucketdrop:versions:list',
  previewVersion: 'bucketdrop:versions:preview',
  versionLink: 'bucketdrop:versions:link',
  restoreVersion: 'bucketdrop:versions:restore',
  undeleteKeys: 'bucketdrop:versions:undelete',
  listDeletedKeys: 'bucketdrop:versions:deleted',
  planPointInTime: 'bucketdrop:versions:pit-plan',
  applyPointInTime: 'bucketdrop:versions:pit-apply',
  pointInTimeProgress: 'bucketdrop:versions:pit-progress',
  deleteVersionPermanently: 'bucketdrop:versions:delete-permanently',
  auditLog: 'bucketdrop:versions:audit',
  exportAuditLog: 'bucketdrop:versions:audit-export',
  downloadObjects: 'bucketdrop:download:start',
  requestRestore: 'bucketdrop:archive:request-restore',
  lifecycleOverview: 'bucketdrop:lifecycle:overview',
  previewLifecycle: 'bucketdrop:lifecycle:preview',
  applyLifecycle: 'bucketdrop:lifecycle:apply',
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
  [INVOKE.listPage]: { request: ListPageRequest; response: ListPage };
  [INVOKE.objectDetails]: { request: { bucket: string; key: string }; response: ObjectDetails };
  [INVOKE.thumbnail]: { request: ThumbnailRequest; response: Thumbnail };
  [INVOKE.createFolder]: {
    request: { bucket: string; prefix: string; name: string };
    response: { key: string };
  };
  [INVOKE.deleteObjects]: { request: DeleteRequest; response: DeleteReport };
  [INVOKE.shareLinks]: { request: ShareLinksRequest; response: ShareLinks };
  [INVOKE.versioningStatus]: { request: { bucket: string }; response: VersioningStatus };
  [INVOKE.enableVersioning]: { request: { bucket: string }; response: VersioningStatus };
  [INVOKE.listVersions]: {
    request: { bucket: string; key: string; cursor?: VersionCursorView };
    response: VersionListPage;
  };
  [INVOKE.previewVersion]: { request: VersionRefView; response: VersionPreview };
  [INVOKE.versionLink]: {
    request: VersionRefView & { expiresInSeconds: LinkExpirySeconds };
    response: VersionLink;
  };
  [INVOKE.restoreVersion]: { request: VersionRefView; response: RestoreVersionResult };
  [INVOKE.undeleteKeys]: {
    request: { bucket: string; keys: string[] };
    response: UndeleteKeyResult[];
  };
  [INVOKE.listDeletedKeys]: {
    request: { bucket: string; prefix: string; cursor?: VersionCursorView };
    response: DeletedKeysPage;
  };
  [INVOKE.planPointInTime]: { request: PointInTimeRequest; response: PointInTimePlanView };
  [INVOKE.applyPointInTime]: { request: { planId: string }; response: PointInTimeProgress };
  [INVOKE.pointInTimeProgress]: { request: { planId: string }; response: PointInTimeProgress };
  [INVOKE.deleteVersionPermanently]: {
    /** `typedKey` is what the user typed to confirm; main refuses it unless it equals `key`. */
    request: VersionRefView & { typedKey: string };
    response: null;
  };
  [INVOKE.auditLog]: { request: null; response: AuditEntryView[] };
  [INVOKE.exportAuditLog]: {
    request: { format: AuditExportFormat };
    /** Where the file was written, or null when the user cancelled the save dialog. */
    response: { savedTo: string | null };
  };
  /** null when the folder dialog was cancelled. */
  [INVOKE.downloadObjects]: {
    request: DownloadSelection;
    response: { batchIds: string[] } | null;
  };
  [INVOKE.requestRestore]: { request: RestoreRequest; response: RestoreStatus };
  [INVOKE.lifecycleOverview]: { request: { bucket: string }; response: LifecycleOverview };
  [INVOKE.previewLifecycle]: {
    request: { bucket: string; additions: LifecycleAdditions };
    response: LifecyclePreview;
  };
  [INVOKE.applyLifecycle]: {
    request: { bucket: string; additions: LifecycleAdditions };
    response: LifecyclePreview;
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
  listPage(request: ListPageRequest): Promise<Result<ListPage>>;
  objectDetails(bucket: string, key: string): Promise<Result<ObjectDetails>>;
  thumbnail(request: ThumbnailRequest): Promise<Result<Thumbnail>>;
  createFolder(bucket: string, prefix: string, name: string): Promise<Result<{ key: string }>>;
  deleteObjects(request: DeleteRequest): Promise<Result<DeleteReport>>;
  shareLinks(request: ShareLinksRequest): Promise<Result<ShareLinks>>;
  versioningStatus(bucket: string): Promise<Result<VersioningStatus>>;
  enableVersioning(bucket: string): Promise<Result<VersioningStatus>>;
  listVersions(
    request: InvokeMap[typeof INVOKE.listVersions]['request'],
  ): Promise<Result<VersionListPage>>;
  previewVersion(ref: VersionRefView): Promise<Result<VersionPreview>>;
  versionLink(
    ref: VersionRefView,
    expiresInSeconds: LinkExpirySeconds,
  ): Promise<Result<VersionLink>>;
  restoreVersion(ref: VersionRefView): Promise<Result<RestoreVersionResult>>;
  undeleteKeys(bucket: string, keys: string[]): Promise<Result<UndeleteKeyResult[]>>;
  listDeletedKeys(
    request: InvokeMap[typeof INVOKE.listDeletedKeys]['request'],
  ): Promise<Result<DeletedKeysPage>>;
  planPointInTime(request: PointInTimeRequest): Promise<Result<PointInTimePlanView>>;
  applyPointInTime(planId: string): Promise<Result<PointInTimeProgress>>;
  pointInTimeProgress(planId: string): Promise<Result<PointInTimeProgress>>;
  deleteVersionPermanently(ref: VersionRefView, typedKey: string): Promise<Result<null>>;
  auditLog(): Promise<Result<AuditEntryView[]>>;
  exportAuditLog(format: AuditExportFormat): Promise<Result<{ savedTo: string | null }>>;
  /** Main asks for the target folder with its own dialog; null when it was cancelled. */
  downloadObjects(selection: DownloadSelection): Promise<Result<{ batchIds: string[] } | null>>;
  requestRestore(request: RestoreRequest): Promise<Result<RestoreStatus>>;
  lifecycleOverview(bucket: string): Promise<Result<LifecycleOverview>>;
  previewLifecycle(
    bucket: string,
    additions: LifecycleAdditions,
  ): Promise<Result<LifecyclePreview>>;
  applyLifecycle(bucket: string, additions: LifecycleAdditions): Promise<Result<LifecyclePreview>>;
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
  'listPage',
  'objectDetails',
  'thumbnail',
  'createFolder',
  'deleteObjects',
  'shareLinks',
  'versioningStatus',
  'enableVersioning',
  'listVersions',
  'previewVersion',
  'versionLink',
  'restoreVersion',
  'undeleteKeys',
  'listDeletedKeys',
  'planPointInTime',
  'applyPointInTime',
  'pointInTimeProgress',
  'deleteVersionPermanently',
  'auditLog',
  'exportAuditLog',
  'downloadObjects',
  'requestRestore',
  'lifecycleOverview',
  'previewLifecycle',
  'applyLifecycle',
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
