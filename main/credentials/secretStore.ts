import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writePrivateFile, WriteQueue } from './privateFile';

/** Electron's safeStorage fits this; tests pass a fake. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface AccessKeySecret {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * What the editor sends: only the fields the user changed. `sessionToken: null` removes a
 * stored token (temporary keys replaced by permanent ones).
 */
export const secretPatchSchema = z.strictObject({
  accessKeyId: z.string().trim().min(1).max(256).optional(),
  secretAccessKey: z.string().min(1).max(1024).optional(),
  sessionToken: z.string().min(1).max(8192).nullable().optional(),
});
export type SecretPatch = z.infer<typeof secretPatchSchema>;

export type EncryptionStrength =
  { strong: true } | { strong: false; reason: 'unavailable' | 'basic_text'; warning: string };

const WARNINGS = {
  unavailable:
    'This computer offers no encrypted storage for secrets (no keychain or keyring is available). ' +
    'If you continue, the secret is stored unencrypted in a file only your user account can read.',
  basic_text:
    'No system keyring (such as GNOME Keyring or KWallet) is running, so the secret could only be ' +
    'scrambled with a key built into the app, which anyone with your files can undo. If you ' +
    'continue, it is stored that way in a file only your user account can read.',
} as const;

/** Thrown instead of storing a secret weakly; the UI asks the user, then retries with consent. */
export class WeakEncryptionError extends Error {
  constructor(readonly reason: 'unavailable' | 'basic_text') {
    super(WARNINGS[reason]);
  }
}

export class SecretUnreadableError extends Error {
  constructor() {
    super(
      'The stored secret could not be decrypted (the system keychain or keyring may have changed): ' +
        'enter the access key ID and secret again.',
    );
  }
}

export class IncompleteSecretError extends Error {
  constructor(
    message = 'An access key connection needs both the access key ID and the secret access key.',
  ) {
    super(message);
  }
}

/** The stored secret was entered for another server: it is never sent to this one. */
export class SecretEndpointChangedError extends IncompleteSecretError {
  constructor() {
    super(
      'The endpoint changed since the secret was entered: enter the access key ID and the ' +
        'secret access key again, so that they are never sent to a server they were not meant for.',
    );
  }
}

/**
 * The endpoint origin a secret is asked for. A secret saved before origins were recorded counts
 * as entered for `legacyOrigin` (the endpoint its connection had until now).
 */
export interface SecretBinding {
  origin: string;
  legacyOrigin?: string;
}

export function isEmptyPatch(patch: SecretPatch): boolean {
  return (
    patch.accessKeyId === undefined &&
    patch.secretAccessKey === undefined &&
    patch.sessionToken === undefined
  );
}

/** "AKIA…MPLE": enough to recognise a key, useless to sign with. */
export function accessKeyIdHint(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? '…' : `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

const entrySchema = z.strictObject({
  /** 'plain' only after the user agreed to store without encryption. */
  storage: z.enum(['safeStorage', 'plain']),
  data: z.string(),
  accessKeyIdHint: z.string(),
  /** The endpoint origin the secret was entered for (see endpointOrigin.ts). */
  endpointOrigin: z.string().optional(),
});
const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), entrySchema) });
type SecretFile = z.infer<typeof fileSchema>;

const accessKeySecretSchema = z.strictObject({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

/**
 * Access keys per profile id in `secrets.json` (mode 0600), each encrypted with the cipher.
 * Nothing here logs, and errors never carry a secret.
 */
export class SecretStore {
  readonly file: string;
  private readonly writes = new WriteQueue();

  /** Without a cipher (the command line) the store can only say which profiles have a secret. */
  constructor(
    dataDir: string,
    private readonly cipher?: SecretCipher,
  ) {
    this.file = path.join(dataDir, 'secrets.json');
  }

  encryptionStrength(): EncryptionStrength {
    if (!this.cipher?.isEncryptionAvailable()) {
      return { strong: false, reason: 'unavailable', warning: WARNINGS.unavailable };
    }
    if (this.cipher.getSelectedStorageBackend?.() === 'basic_text') {
      return { strong: false, reason: 'basic_text', warning: WARNINGS.basic_text };
    }
    return { strong: true };
  }

  /** Throws WeakEncryptionError unless storing now would be strong or the user agreed. */
  assertCanStore(options: { allowWeakEncryption?: boolean } = {}): void {
    const strength = this.encryptionStrength();
    if (!strength.strong && !options.allowWeakEncryption) {
      throw new WeakEncryptionError(strength.reason);
    }
  }

  async hints(): Promise<Map<string, { accessKeyIdHint: string }>> {
    const { secrets } = await this.read();
    return new Map(
      Object.entries(secrets).map(([id, entry]) => [
        id,
        { accessKeyIdHint: entry.accessKeyIdHint },
      ]),
    );
  }

  async has(id: string): Promise<boolean> {
    return Object.hasOwn((await this.read()).secrets, id);
  }

  /** Throws SecretEndpointChangedError when the secret was entered for another origin. */
  async get(id: string, binding?: SecretBinding): Promise<AccessKeySecret | undefined> {
    const entry = (await this.read()).secrets[id];
    if (!entry) return undefined;
    const boundTo = entry.endpointOrigin ?? binding?.legacyOrigin;
    if (binding && boundTo !== undefined && boundTo !== binding.origin) {
      throw new SecretEndpointChangedError();
    }
    let decoded: unknown;
    try {
      const bytes = Buffer.from(entry.data, 'base64');
      if (entry.storage === 'plain') decoded = JSON.parse(bytes.toString('utf8'));
      else if (this.cipher?.isEncryptionAvailable()) {
        decoded = JSON.parse(this.cipher.decryptString(bytes));
      } else throw new Error('no cipher');
    } catch {
      throw new SecretUnreadableError();
    }
    const parsed = accessKeySecretSchema.safeParse(decoded);
    if (!parsed.success) throw new SecretUnreadableError();
    return parsed.data;
  }

  set(
    id: string,
    secret: AccessKeySecret,
    options: { allowWeakEncryption?: boolean } = {},
    binding?: SecretBinding,
  ): Promise<void> {
    return this.writes.run(() => this.store(id, secret, options, binding));
  }

  /** Merges the changed fields into the stored secret; a new profile must send both keys. */
  update(
    id: string,
    patch: SecretPatch,
    options: { allowWeakEncryption?: boolean } = {},
    binding?: SecretBinding,
  ): Promise<void> {
    if (isEmptyPatch(secretPatchSchema.parse(patch))) return Promise.resolve();
    return this.writes.run(async () => {
      const merged = await this.merged(id, patch, binding);
      if (merged) await this.store(id, merged, options, binding);
    });
  }

  /**
   * What update() would store, without storing it (to test a connection before saving). For
   * another origin than the stored secret's, nothing stored is used: not the key, not the token.
   */
  async merged(
    id: string,
    patch: SecretPatch,
    binding?: SecretBinding,
  ): Promise<AccessKeySecret | undefined> {
    const parsed = secretPatchSchema.parse(patch);
    if (isEmptyPatch(parsed)) return this.get(id, binding);
    const { accessKeyId, secretAccessKey, sessionToken } = parsed;
    let stored: AccessKeySecret | undefined;
    try {
      stored = await this.get(id, binding);
    } catch (error) {
      // A secret that can no longer be decrypted, or was for another server, is simply
      // replaced when both keys are new.
      const replaceable =
        error instanceof SecretUnreadableError || error instanceof SecretEndpointChangedError;
      if (!(replaceable && accessKeyId && secretAccessKey)) throw error;
    }
    const nextKeyId = accessKeyId ?? stored?.accessKeyId;
    const nextSecret = secretAccessKey ?? stored?.secretAccessKey;
    if (!nextKeyId || !nextSecret) throw new IncompleteSecretError();
    const nextToken = sessionToken === null ? undefined : (sessionToken ?? stored?.sessionToken);
    return {
      accessKeyId: nextKeyId,
      secretAccessKey: nextSecret,
      ...(nextToken ? { sessionToken: nextToken } : {}),
    };
  }

  remove(id: string): Promise<void> {
    return this.writes.run(async () => {
      const file = await this.read();
      if (!Object.hasOwn(file.secrets, id)) return;
      delete file.secrets[id];
      await this.write(file);
    });
  }

  private async store(
    id: string,
    secret: AccessKeySecret,
    options: { allowWeakEncryption?: boolean },
    binding: SecretBinding | undefined,
  ): Promise<void> {
    this.assertCanStore(options);
    const valid = accessKeySecretSchema.parse(secret);
    const text = JSON.stringify(valid);
    const encrypted = this.cipher?.isEncryptionAvailable() === true;
    const data = encrypted ? this.cipher!.encryptString(text) : Buffer.from(text, 'utf8');
    const file = await this.read();
    file.secrets[id] = {
      storage: encrypted ? 'safeStorage' : 'plain',
      data: data.toString('base64'),
      accessKeyIdHint: accessKeyIdHint(valid.accessKeyId),
      ...(binding ? { endpointOrigin: binding.origin } : {}),
    };
    await this.write(file);
  }

  private async read(): Promise<SecretFile> {
    const stored = await readJsonFile(this.file);
    if (stored === undefined) return { version: 1, secrets: {} };
    const parsed = fileSchema.safeParse(stored);
    if (!parsed.success) throw new Error(`${this.file} is not a valid secrets file`);
    return parsed.data;
  }

  private write(file: SecretFile): Promise<void> {
    return writePrivateFile(this.file, `${JSON.stringify(file, null, 2)}\n`);
  }
}
