import { defaultRangeExtractor, useVirtualizer } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';
import type { RefObject } from 'react';
import { useCallback, useEffect } from 'react';
import type { TreeRow } from './tree-rows.ts';
import { ROW_HEIGHT } from './TreeItem.tsx';

const rowHeight = () => ROW_HEIGHT;

/**
 * The tree's virtualiser: only the rows in view (and the focused one, wherever it is) are in the
 * page; a new selection is scrolled into view.
 */
export function useTreeVirtualizer(
  rows: readonly TreeRow[],
  scrollRef: RefObject<HTMLDivElement | null>,
  activeIndex: number,
  selectedId: string | null,
  indexById: ReadonlyMap<string, number>,
) {
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
    overscan: 3,
    rangeExtractor,
    getItemKey,
  });

  // A new selection (from here, the graph, a problem) is scrolled into view. A row already in view
  // is left where it is, known from where the virtualiser last saw the scroller: asking it to
  // scroll would read the page's layout at every arrow key.
  useEffect(() => {
    const index = selectedId !== null ? indexById.get(selectedId) : undefined;
    if (index === undefined) return;
    const top = index * ROW_HEIGHT;
    const offset = virtualizer.scrollOffset;
    const height = virtualizer.scrollRect?.height;
    if (offset !== null && height && top >= offset && top + ROW_HEIGHT <= offset + height) return;
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedId, indexById, virtualizer]);

  return virtualizer;
}
