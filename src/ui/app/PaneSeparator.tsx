import type { KeyboardEvent, PointerEvent } from 'react';
import { useRef } from 'react';

const STEP = 16;
const BIG_STEP = 64;

/**
 * A WAI-ARIA window splitter between two panes: dragged, or focused and moved with the arrow keys
 * (Shift for larger steps), Home and End for the smallest and largest size, Enter to hide the pane
 * and bring it back. Its value is the pane's size in pixels, 0 while it is hidden.
 */
export function PaneSeparator({
  label,
  controls,
  orientation,
  value,
  min,
  max,
  collapsed,
  grows,
  onResize,
  onToggle,
}: {
  label: string;
  /** The id of the pane it sizes. */
  controls: string;
  /** `vertical`: a line between panes side by side; `horizontal`: between panes one above the other. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  collapsed: boolean;
  /** Which way the pane grows: towards the end (right, down) or the start (left, up). */
  grows: 'end' | 'start';
  onResize: (value: number) => void;
  onToggle: () => void;
}) {
  const drag = useRef<{ from: number; size: number } | null>(null);
  const sign = grows === 'end' ? 1 : -1;
  const along = (e: { clientX: number; clientY: number }) =>
    orientation === 'vertical' ? e.clientX : e.clientY;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const [less, more] =
      orientation === 'vertical' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    let next: number | undefined;
    if (event.key === less) next = value - sign * step;
    else if (event.key === more) next = value + sign * step;
    else if (event.key === 'Home') next = min;
    else if (event.key === 'End') next = max;
    else if (event.key === 'Enter') {
      event.preventDefault();
      onToggle();
      return;
    } else return;
    event.preventDefault();
    onResize(next);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || collapsed) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { from: along(event), size: value };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) onResize(d.size + sign * (along(event) - d.from));
  };
  const end = () => {
    drag.current = null;
  };

  return (
    <div
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-controls={controls}
      aria-orientation={orientation}
      aria-valuenow={collapsed ? 0 : value}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuetext={collapsed ? 'hidden' : `${value} pixels`}
      className={`pane-separator ${orientation}`}
      title={`${label}: drag, or arrow keys; Enter hides or shows; double-click too`}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onDoubleClick={onToggle}
    />
  );
}
