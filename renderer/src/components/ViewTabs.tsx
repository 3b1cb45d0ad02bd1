import { useApp, useController } from '../context';
import type { AppView } from '../store/view';
import { TabList } from './TabList';

const VIEWS: { value: AppView; label: string; testId: string }[] = [
  { value: 'queue', label: 'Uploads', testId: 'view-queue' },
  { value: 'browse', label: 'Browse', testId: 'view-browse' },
  { value: 'history', label: 'History', testId: 'view-history' },
];

/** Switches between the upload queue (the default), the bucket browser and version history. */
export function ViewTabs() {
  const controller = useController();
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const choose = (next: AppView) =>
    next === 'browse' ? controller.browse.showBrowser() : setView(next);
  return (
    <TabList
      label="Views"
      className="tab-list view-tabs"
      tabs={VIEWS}
      selected={view}
      onSelect={choose}
    />
  );
}
