import type { Activity } from '../../state/index.ts';
import { selectActivities, useEditor } from '../../state/index.ts';

/**
 * Long work in progress (reading a folder, unpacking a bundle, checking it, writing a zip), each as
 * a progress bar; work that can be stopped has a Cancel button.
 */
export function ActivityProgress() {
  const activities = useEditor(selectActivities);
  const list = Object.entries(activities) as [string, Activity][];
  if (list.length === 0) return null;
  return (
    <div className="activities">
      {list.map(([name, a]) => (
        <div key={name} className="activity">
          <span className="activity-label" id={`activity-${name}`}>
            {a.label}
          </span>
          <progress
            aria-labelledby={`activity-${name}`}
            value={a.done}
            max={Math.max(a.total, 1)}
            aria-valuetext={`${a.done.toLocaleString('en')} of ${a.total.toLocaleString('en')}`}
          />
          <span className="activity-count" aria-hidden="true">
            {a.done.toLocaleString('en')} / {a.total.toLocaleString('en')}
          </span>
          {a.cancel && (
            <button
              type="button"
              className="button small"
              aria-describedby={`activity-${name}`}
              onClick={a.cancel}
            >
              Cancel
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
