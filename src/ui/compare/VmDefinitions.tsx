import {
  selectDefinitions,
  selectSelectedId,
  selectTarget,
  selectTargetFromFolder,
  useEditor,
} from '../../state/index.ts';
import { Name } from '../app/Name.tsx';

/**
 * The VM definitions a folder held (a `<domain>` root: virtnbdbackup's vmconfig.*.xml), listed
 * apart from the checkpoints: which one is the target VM, and a way to compare the selected
 * checkpoint's <domain> with each.
 */
export function VmDefinitions() {
  const definitions = useEditor(selectDefinitions);
  const target = useEditor(selectTarget);
  const fromFolder = useEditor(selectTargetFromFolder);
  const selectedId = useEditor(selectSelectedId);
  const chooseTarget = useEditor((s) => s.useDefinitionAsTarget);
  const openCompare = useEditor((s) => s.openCompare);
  if (definitions.length === 0) return null;
  return (
    <section className="vm-definitions" aria-labelledby="vm-definitions-title">
      <h2 className="panel-title" id="vm-definitions-title">
        VM definitions {definitions.length}
      </h2>
      <ul>
        {definitions.map((d) => {
          const isTarget = target?.fileName === d.fileName;
          return (
            <li key={d.fileName} title={d.fileName}>
              {/* Its own name, whole: the folder is in the tooltip (a long folder hid the number). */}
              <Name
                text={d.fileName.slice(d.fileName.lastIndexOf('/') + 1)}
                className="file-name"
              />
              <span className="facts">
                {d.name !== undefined && <Name text={d.name} />} ·{' '}
                {d.disks.length ? d.disks.join(', ') : 'no disks'}
              </span>
              {isTarget ? (
                <span className="target-badge">
                  target VM{fromFolder ? ' (newest in the folder)' : ''}
                </span>
              ) : (
                <button
                  type="button"
                  className="button small"
                  aria-label={`Use ${d.label} as the target VM`}
                  onClick={() => chooseTarget(d.fileName)}
                >
                  Use as target
                </button>
              )}
              <button
                type="button"
                className="button small"
                disabled={selectedId === null}
                aria-label={`Compare the selected checkpoint with ${d.label}`}
                onClick={() =>
                  selectedId !== null &&
                  openCompare(selectedId, { kind: 'definition', fileName: d.fileName })
                }
              >
                Compare
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
