import type { ItemProgress } from '../../preload/contract';
import { formatMoment } from './versionFormat';

/** The folder of a local path, on any OS (the renderer has no node:path). */
export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut > 0 ? file.slice(0, cut) : file;
}

/** What a step of a point-in-time restore does, in the words of its queue row. */
function restoreStepRoute(item: ItemProgress): string {
  const step = item.versionStep;
  if (!step) return `${item.key}: restore step`;
  const moment = formatMoment(step.at);
  switch (step.kind) {
    case 'restore':
      return `${item.key}: restore to its version as of ${moment}`;
    case 'undelete':
      return `${item.key}: undelete, as it was on ${moment}`;
    case 'delete':
      return `${item.key}: delete, created after ${moment}`;
  }
}

/** How a queue row names its direction; upload rows (the first kind) keep their plain look. */
export function directionOf(item: ItemProgress): {
  icon: 'upload' | 'download' | 'restore';
  route: string;
} {
  if (item.direction === 'download') {
    return { icon: 'download', route: `${item.key} → to ${folderOf(item.path)}` };
  }
  if (item.direction === 'restore') return { icon: 'restore', route: restoreStepRoute(item) };
  return { icon: 'upload', route: item.key };
}
