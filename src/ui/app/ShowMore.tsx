import { useState } from 'react';

/** Rows listed before the operator asks for more: 200,000 at once would stall the page. */
const FIRST_SHOWN = 200;
/** Rows each "Show more" adds. */
const MORE_SHOWN = 1_000;

/** How many rows of a long list are shown, and the way to show more. */
export function useShownCount(): { shown: number; more: () => void } {
  const [shown, setShown] = useState(FIRST_SHOWN);
  return { shown, more: () => setShown(shown + MORE_SHOWN) };
}

/** The button under a cut list: how many are not shown, and a click shows the next ones. */
export function ShowMore({
  total,
  shown,
  what,
  onMore,
}: {
  total: number;
  shown: number;
  /** What the rows are, plural: "problems". */
  what: string;
  onMore: () => void;
}) {
  const rest = total - shown;
  if (rest <= 0) return null;
  return (
    <button type="button" className="button small more-button" onClick={onMore}>
      Show {Math.min(rest, MORE_SHOWN).toLocaleString('en')} more: {rest.toLocaleString('en')}{' '}
      {what} not shown
    </button>
  );
}
