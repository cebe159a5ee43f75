import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import type { KeyboardEvent } from 'react';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Problem, RuleVerdict } from '../../core/index.ts';
import {
  isUnexported,
  selectMainView,
  selectProblemsById,
  selectRows,
  selectSelectedId,
  selectVerdicts,
  useEditor,
} from '../../state/index.ts';
import { disksOf, errorAndWarningCounts, plural, shortTime } from './checkpoint-facts.ts';
import { noteKeyMove } from './key-navigation.ts';
import type { TreeFilter, TreeRow } from './tree-rows.ts';
import { treeRows, typeAheadMatch } from './tree-rows.ts';

const ROW_HEIGHT = 26;
/** Deeper rows stop moving right, so a long chain keeps its names readable. */
const MAX_INDENT_LEVELS = 6;
const INDENT = 10;
const TYPE_AHEAD_MS = 700;
const rowHeight = () => ROW_HEIGHT;

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

/**
 * The loaded checkpoints as a WAI-ARIA tree over a virtualised list: only the rows in view (and
 * the focused one) are in the page, each with its level, place among its siblings and whether it
 * is open. One tab stop; arrows move and fold, Home/End, and typing a name goes to it. Selection
 * follows focus (the editor, the graph and the bitmaps show the focused checkpoint); Enter, a
 * double click, or a click from the Chain view opens it in the editor.
 */
export function CheckpointTree() {
  const items = useEditor(selectRows);
  const verdicts = useEditor(selectVerdicts);
  const problemsById = useEditor(selectProblemsById);
  const selectedId = useEditor(selectSelectedId);
  const selectDocument = useEditor((s) => s.selectDocument);
  const openInEditor = useEditor((s) => s.openInEditor);
  const mainView = useEditor(selectMainView);
  const documents = useEditor((s) => s.documents);
  const savedTexts = useEditor((s) => s.savedTexts);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [filter, setFilter] = useState<TreeFilter>('all');
  const [query, setQuery] = useState('');
  const shownQuery = useDeferredValue(query);
  const rows = useMemo(
    () => treeRows(items, collapsed, filter, shownQuery),
    [items, collapsed, filter, shownQuery],
  );
  const indexById = useMemo(() => new Map(rows.map((r, i) => [r.item.id, i])), [rows]);
  // The selected row holds the tab stop; if it is folded away or filtered out, the first row does.
  const activeIndex = selectedId !== null ? (indexById.get(selectedId) ?? 0) : 0;
  const activeId = rows[activeIndex]?.item.id;

  const scrollRef = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);
  const typed = useRef({ text: '', at: 0 });

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      // The focused row stays in the page when it scrolls away, so focus is never lost.
      if (activeIndex < rows.length && !indexes.includes(activeIndex)) {
        indexes.push(activeIndex);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [activeIndex, rows.length],
  );
  // Stable functions: a new one makes the virtualiser measure every row again.
  const getItemKey = useCallback((index: number) => rows[index]?.item.id ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    overscan: 12,
    rangeExtractor,
    getItemKey,
  });

  // A new selection (from here, the graph, a problem) is scrolled into view.
  useEffect(() => {
    if (selectedId !== null && indexById.has(selectedId)) {
      virtualizer.scrollToIndex(indexById.get(selectedId) as number, { align: 'auto' });
    }
  }, [selectedId, indexById, virtualizer]);

  // After a key moved the focus, the new row (always rendered) takes it.
  useEffect(() => {
    if (!focusPending.current || activeId === undefined) return;
    focusPending.current = false;
    scrollRef.current
      ?.querySelector<HTMLElement>(`[data-id="${CSS.escape(activeId)}"]`)
      ?.focus({ preventScroll: true });
  });

  const moveTo = (index: number) => {
    const row = rows[index];
    if (!row) return;
    if (row.item.id === selectedId) {
      scrollRef.current
        ?.querySelector<HTMLElement>(`[data-id="${CSS.escape(row.item.id)}"]`)
        ?.focus({ preventScroll: true });
      return;
    }
    // The new row takes the focus once rendered; the effect above scrolls it into view.
    focusPending.current = true;
    selectDocument(row.item.id);
  };
  const setFolded = (id: string, folded: boolean) => {
    const next = new Set(collapsed);
    if (folded) next.add(id);
    else next.delete(id);
    setCollapsed(next);
  };

  // Rows are memoised: their handlers stay the same functions, reading the latest state.
  const latest = useRef({ moveTo, setFolded, collapsed, rows, mainView, openInEditor });
  latest.current = { moveTo, setFolded, collapsed, rows, mainView, openInEditor };
  const actions = useMemo<RowActions>(
    () => ({
      click: (index) => {
        const { rows, mainView, openInEditor } = latest.current;
        latest.current.moveTo(index);
        // The graph and the bitmaps follow the selection; from the chain, a click opens the file.
        const id = rows[index]?.item.id;
        if (mainView === 'chain' && id !== undefined) openInEditor(id);
      },
      open: (index) => {
        const id = latest.current.rows[index]?.item.id;
        if (id !== undefined) latest.current.openInEditor(id);
      },
      toggle: (id) => latest.current.setFolded(id, !latest.current.collapsed.has(id)),
    }),
    [],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const row = rows[activeIndex];
    if (!row) return;
    const { item } = row;
    const folded = collapsed.has(item.id);
    noteKeyMove();
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row.expandable && folded) setFolded(item.id, false);
        else if (row.expandable) moveTo(activeIndex + 1);
        break;
      case 'ArrowLeft':
        if (row.expandable && !folded) setFolded(item.id, true);
        else if (row.level > 1 && item.parentId !== undefined) {
          const parent = indexById.get(item.parentId);
          if (parent !== undefined) moveTo(parent);
        }
        break;
      case 'Enter':
        openInEditor(item.id);
        break;
      case ' ':
        selectDocument(item.id);
        break;
      default: {
        if (event.key.length !== 1 || !/\S/.test(event.key)) return;
        const now = Date.now();
        const text =
          now - typed.current.at > TYPE_AHEAD_MS ? event.key : typed.current.text + event.key;
        typed.current = { text, at: now };
        const match = typeAheadMatch(rows, activeIndex, text);
        if (match >= 0) moveTo(match);
      }
    }
    event.preventDefault();
  };

  const total = items.length;
  const filtered = filter !== 'all' || shownQuery.trim() !== '';

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
        <fieldset className="segmented">
          <legend className="visually-hidden">Show</legend>
          {FILTERS.map((f) => (
            <label key={f.value} title={f.title}>
              <input
                type="radio"
                name="tree-filter"
                value={f.value}
                checked={filter === f.value}
                onChange={() => setFilter(f.value)}
              />
              <span>{f.label}</span>
            </label>
          ))}
        </fieldset>
      </div>
      {filtered && (
        <p className="tree-status" role="status">
          {rows.length.toLocaleString('en')} of {plural(total, 'checkpoint')}
        </p>
      )}
      <div
        ref={scrollRef}
        role="tree"
        aria-label="Checkpoints"
        className="tree"
        onKeyDown={onKeyDown}
      >
        <div role="none" className="tree-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index] as TreeRow;
            const doc = documents[row.item.id];
            return (
              <TreeItem
                key={v.key}
                row={row}
                index={v.index}
                top={v.start}
                selected={row.item.id === selectedId}
                tabStop={v.index === activeIndex}
                folded={collapsed.has(row.item.id)}
                dirty={doc !== undefined && isUnexported(doc, savedTexts)}
                verdict={verdicts[row.item.id]}
                problems={problemsById[row.item.id] ?? NO_PROBLEMS}
                actions={actions}
              />
            );
          })}
        </div>
      </div>
      {total === 0 && <p className="empty-state">No checkpoints open.</p>}
      {total > 0 && rows.length === 0 && <p className="empty-state">No checkpoint matches.</p>}
    </>
  );
}

const NO_PROBLEMS: readonly Problem[] = [];

interface RowActions {
  click: (index: number) => void;
  open: (index: number) => void;
  toggle: (id: string) => void;
}

const TreeItem = memo(function TreeItem({
  row,
  index,
  top,
  selected,
  tabStop,
  folded,
  dirty,
  verdict,
  problems,
  actions,
}: {
  row: TreeRow;
  index: number;
  top: number;
  selected: boolean;
  tabStop: boolean;
  folded: boolean;
  dirty: boolean;
  verdict: RuleVerdict | undefined;
  problems: readonly Problem[];
  actions: RowActions;
}) {
  const { item, level, expandable } = row;
  const { errors, warnings } = errorAndWarningCounts(problems);
  const bitmaps = disksOf(verdict).filter((d) => d.checkpoint === 'bitmap');
  const time = shortTime(verdict?.checkpoint?.creationTime);
  const describedBy = `tree-desc-${item.id}`;
  const description = [item.fileName];
  if (time) description.push(`created ${time} UTC`);
  if (bitmaps.length) description.push(`bitmaps on ${bitmaps.map((d) => d.name).join(', ')}`);
  if (errors) description.push(plural(errors, 'error'));
  if (warnings) description.push(plural(warnings, 'warning'));
  if (dirty) description.push('unexported changes');
  return (
    <div
      data-id={item.id}
      role="treeitem"
      aria-label={item.label}
      aria-describedby={describedBy}
      aria-level={level}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-selected={selected}
      aria-expanded={expandable ? !folded : undefined}
      tabIndex={tabStop ? 0 : -1}
      className="tree-item"
      style={{
        transform: `translateY(${top}px)`,
        paddingLeft: 4 + Math.min(level - 1, MAX_INDENT_LEVELS) * INDENT,
      }}
      title={item.fileName}
      onClick={() => actions.click(index)}
      onDoubleClick={() => actions.open(index)}
    >
      <span
        className="twisty"
        aria-hidden="true"
        onClick={(e) => {
          if (!expandable) return;
          e.stopPropagation();
          actions.toggle(item.id);
        }}
      >
        {expandable ? (folded ? '▶' : '▼') : ''}
      </span>
      <span className="label">{item.label}</span>
      {dirty && (
        <span className="dirty" aria-hidden="true" title="Unexported changes">
          ●
        </span>
      )}
      <span className="bitmaps" aria-hidden="true">
        {bitmaps.map((d) => (
          <span
            key={d.name}
            className="bitmap-chip"
            title={`bitmap ${d.bitmap ?? ''} on ${d.name}`}
          >
            {d.name}
          </span>
        ))}
      </span>
      <span className="time" aria-hidden="true">
        {time}
      </span>
      <span className="badges" aria-hidden="true">
        {errors > 0 && <span className="badge error">{errors}</span>}
        {warnings > 0 && <span className="badge warning">{warnings}</span>}
      </span>
      <span id={describedBy} className="visually-hidden">
        {description.join(', ')}
      </span>
    </div>
  );
});
