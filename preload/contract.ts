/**
 * The one contract between main, preload and renderer: channel names and the types that cross
 * them. Types and constants only, so that the renderer can import it with `import type` and the
 * sandboxed preload stays tiny.
 */

export type ItemState =
  'queued' | 'uploading' | 'paused' | 'verifying' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** Absent on upload items, which came first. */
export type TransferDirection = 'upload' | 'download';

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
}

export interface StartUploadRequest {
  preflightId: string;
  /** Policy for conflicting keys not listed in `perKey`. */
  onConflict: ConflictPolicy;
  perKey?: Record<string, ConflictPolicy>;
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
}

export interface Notice {
  kind: 'restored' | 'batch-finished' | 'error';
  message: string;
}

/** What the bucket browser hands over for a download. */
export interface DownloadSelection {
  bucket: string;
  keys: string[];
  prefixes: string[];
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
  downloadObjects: 'bucketdrop:download:start',
  requestRestore: 'bucketdrop:archive:request-restore',
  lifecycleOverview: 'bucketdrop:lifecycle:overview',
  previewLifecycle: 'bucketdrop:lifecycle:preview',
  applyLifecycle: 'bucketdrop:lifecycle:apply',
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
  /** Main asks for the target folder with its own dialog; null when it was cancelled. */
  downloadObjects(selection: DownloadSelection): Promise<Result<{ batchIds: string[] } | null>>;
  requestRestore(request: RestoreRequest): Promise<Result<RestoreStatus>>;
  lifecycleOverview(bucket: string): Promise<Result<LifecycleOverview>>;
  previewLifecycle(
    bucket: string,
    additions: LifecycleAdditions,
  ): Promise<Result<LifecyclePreview>>;
  applyLifecycle(bucket: string, additions: LifecycleAdditions): Promise<Result<LifecyclePreview>>;
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
  'downloadObjects',
  'requestRestore',
  'lifecycleOverview',
  'previewLifecycle',
  'applyLifecycle',
  'onProgress',
  'onNotice',
] as const satisfies ReadonlyArray<keyof BucketdropApi>;

declare global {
  interface Window {
    bucketdrop: BucketdropApi;
  }
}
