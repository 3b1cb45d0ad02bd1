import type { ItemProgress } from '../../preload/contract';

/** The folder of a local path, on any OS (the renderer has no node:path). */
export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut > 0 ? file.slice(0, cut) : file;
}

/** How a queue row names its direction; upload rows (the first kind) keep their plain look. */
export function directionOf(item: ItemProgress): { icon: 'upload' | 'download'; route: string } {
  if (item.direction === 'download') {
    return { icon: 'download', route: `${item.key} → to ${folderOf(item.path)}` };
  }
  return { icon: 'upload', route: item.key };
}
