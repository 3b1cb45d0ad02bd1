import { useApp } from '../context';
import type { AppView } from '../store/view';
import { TabList } from './TabList';

const VIEWS: { value: AppView; label: string; testId: string }[] = [
  { value: 'queue', label: 'Uploads', testId: 'view-queue' },
  { value: 'history', label: 'History', testId: 'view-history' },
];

/** Switches between the upload queue (the default) and the other views. */
export function ViewTabs() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  return (
    <TabList
      label="Views"
      className="tab-list view-tabs"
      tabs={VIEWS}
      selected={view}
      onSelect={setView}
    />
  );
}
