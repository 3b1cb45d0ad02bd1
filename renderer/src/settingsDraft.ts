import { RESTORE_CONCURRENCY, type ChecksumMode, type Settings } from '../../preload/contract';

export const LIMITS = {
  filesInFlight: { min: 1, max: 16, label: 'Files in flight' },
  partsInFlight: { min: 1, max: 64, label: 'Parts in flight' },
  partSizeMiB: { min: 5, max: 4096, label: 'Part size' },
  restoreConcurrency: { min: 1, max: RESTORE_CONCURRENCY.max, label: 'Restores in flight' },
} as const;

export type NumberField = keyof typeof LIMITS;

/** What the settings form edits: numbers stay text until saved, so a field can be empty. */
export type SettingsDraft = Record<NumberField, string> & {
  checksumMode: ChecksumMode;
  skipJunkFiles: boolean;
  autoResumeOnLaunch: boolean;
  allowUnencryptedEnvironmentEndpoint: boolean;
  defaultConflictPolicy: Settings['defaultConflictPolicy'];
};

export type DraftErrors = Partial<Record<NumberField, string>>;

export function toDraft(settings: Settings): SettingsDraft {
  return {
    filesInFlight: String(settings.filesInFlight),
    partsInFlight: String(settings.partsInFlight),
    partSizeMiB: String(settings.partSizeMiB),
    restoreConcurrency: String(settings.restoreConcurrency ?? RESTORE_CONCURRENCY.default),
    checksumMode: settings.checksumMode,
    skipJunkFiles: settings.skipJunkFiles,
    autoResumeOnLaunch: settings.autoResumeOnLaunch,
    allowUnencryptedEnvironmentEndpoint: settings.allowUnencryptedEnvironmentEndpoint ?? false,
    defaultConflictPolicy: settings.defaultConflictPolicy,
  };
}

/**
 * Checks what the form can check on its own so mistakes show next to the field; main validates
 * again and its answer is shown too.
 */
export function parseDraft(
  draft: SettingsDraft,
): { ok: true; patch: Partial<Settings> } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const numbers = {} as Record<NumberField, number>;
  for (const field of Object.keys(LIMITS) as NumberField[]) {
    const { min, max, label } = LIMITS[field];
    const text = draft[field].trim();
    const value = Number(text);
    if (text === '' || !Number.isInteger(value) || value < min || value > max) {
      errors[field] = `${label} must be a whole number from ${min} to ${max}.`;
    } else {
      numbers[field] = value;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    patch: {
      ...numbers,
      checksumMode: draft.checksumMode,
      skipJunkFiles: draft.skipJunkFiles,
      autoResumeOnLaunch: draft.autoResumeOnLaunch,
      allowUnencryptedEnvironmentEndpoint: draft.allowUnencryptedEnvironmentEndpoint,
      defaultConflictPolicy: draft.defaultConflictPolicy,
    },
  };
}
