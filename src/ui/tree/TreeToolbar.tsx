import { memo } from 'react';
import { Segmented } from '../app/Segmented.tsx';
import { plural } from './checkpoint-facts.ts';
import type { TreeFilter } from './tree-rows.ts';

const FILTERS: { value: TreeFilter; label: string; title: string }[] = [
  { value: 'all', label: 'All', title: 'The whole tree' },
  {
    value: 'roots',
    label: 'Roots',
    title: 'Checkpoints without a parent (virsh checkpoint-list --roots)',
  },
  {
    value: 'leaves',
    label: 'Leaves',
    title: 'Checkpoints without children (virsh checkpoint-list --leaves)',
  },
];

/** Above the tree: the search box, All / Roots / Leaves, and how many rows a filter leaves. */
export const TreeToolbar = memo(function TreeToolbar({
  query,
  setQuery,
  filter,
  setFilter,
  shown,
  total,
}: {
  query: string;
  setQuery: (query: string) => void;
  filter: TreeFilter;
  setFilter: (filter: TreeFilter) => void;
  /** Rows shown, when a filter or a search is on. */
  shown: number | undefined;
  total: number;
}) {
  return (
    <>
      <div className="tree-tools">
        <input
          type="search"
          aria-label="Search checkpoints by name"
          placeholder="Search by name"
          value={query}
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Segmented
          legend="Show"
          name="tree-filter"
          options={FILTERS}
          value={filter}
          onChange={setFilter}
        />
      </div>
      {shown !== undefined && (
        <p className="tree-status" role="status">
          {shown.toLocaleString('en')} of {plural(total, 'checkpoint')}
        </p>
      )}
    </>
  );
});
