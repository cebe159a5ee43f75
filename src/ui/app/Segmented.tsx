import { memo } from 'react';

export interface SegmentedOption<T extends string> {
  value: T;
  label: string;
  title?: string;
}

/**
 * A group of radio buttons shown as one segmented control (tree.css's `.segmented`), its legend for
 * screen readers only. Memoised: a parent that renders again at each selection leaves its inputs as
 * they are (React sets `name` and `type` on every input it updates).
 */
function SegmentedControl<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: readonly SegmentedOption<T>[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} title={o.title}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export const Segmented = memo(SegmentedControl) as typeof SegmentedControl;
