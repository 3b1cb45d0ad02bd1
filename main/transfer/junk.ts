/** Files that operating systems leave behind in photo folders; nobody wants them in a bucket. */
export const DEFAULT_JUNK_NAMES = ['.DS_Store', 'Thumbs.db', 'desktop.ini'];

export interface JunkFilter {
  enabled: boolean;
  names: string[];
  /** macOS AppleDouble resource forks (`._IMG_0001.jpg`). */
  skipAppleDouble: boolean;
}

export const DEFAULT_JUNK_FILTER: JunkFilter = {
  enabled: true,
  names: DEFAULT_JUNK_NAMES,
  skipAppleDouble: true,
};

/** Why a file is junk, or null when it should be uploaded. */
export function junkReason(fileName: string, filter: JunkFilter): string | null {
  if (!filter.enabled) return null;
  if (filter.names.includes(fileName)) return `system file (${fileName})`;
  if (filter.skipAppleDouble && fileName.startsWith('._')) return 'macOS resource fork (._ file)';
  return null;
}
