import type { KeyboardEvent } from 'react';
import { lazy, Suspense, useRef } from 'react';
import type { MainView } from '../../state/index.ts';
import { selectMainView, useEditor } from '../../state/index.ts';
import { BackupsView } from '../backups/BackupsView.tsx';
import { useBackupFolder } from '../backups/use-backup-folder.ts';
import { BitmapsView } from '../images/BitmapsView.tsx';
import { ChainView } from '../chain/ChainView.tsx';
import { CollectView } from '../collect/CollectView.tsx';
import { DocumentView } from '../editor/DocumentView.tsx';
import { HelpView } from '../help/HelpView.tsx';
import { VmsView } from '../vms/VmsView.tsx';
import { Welcome } from './Welcome.tsx';

// xyflow and d3-hierarchy load only when the graph is first shown.
const ChainGraph = lazy(() => import('../graph/ChainGraph.tsx'));

const ALL_TABS: { view: MainView; label: string }[] = [
  { view: 'vms', label: 'VMs' },
  { view: 'checkpoint', label: 'Checkpoint' },
  { view: 'chain', label: 'Chain' },
  { view: 'bitmaps', label: 'Bitmaps' },
  { view: 'backups', label: 'Backups' },
  { view: 'graph', label: 'Graph' },
  { view: 'collect', label: 'Collect from a host' },
  { view: 'help', label: 'Help' },
];

/** The main area: the selected checkpoint in the editor, or the chain, its bitmaps, its graph. */
export function MainTabs() {
  const fleet = useEditor((s) => s.vms.length > 1);
  // The VMs view when more than one VM is open.
  // Backups when the VM on screen brought virtnbdbackup data files.
  const backups = useBackupFolder();
  const TABS = ALL_TABS.filter(
    (t) => (t.view !== 'vms' || fleet) && (t.view !== 'backups' || backups !== undefined),
  );
  const chosen = useEditor(selectMainView);
  const current =
    (chosen === 'vms' && !fleet) || (chosen === 'backups' && !backups) ? 'checkpoint' : chosen;
  const backupErrors = backups?.problems.filter((p) => p.severity === 'error').length ?? 0;
  const showView = useEditor((s) => s.showView);
  const count = useEditor((s) => s.documentOrder.length);
  const chainProblems = useEditor((s) => s.forest.problems.length);
  const refs = useRef(new Map<MainView, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.view === current);
    const next =
      event.key === 'ArrowRight'
        ? TABS[(i + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(i - 1 + TABS.length) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    showView(next.view);
    refs.current.get(next.view)?.focus();
  };

  return (
    <>
      <div role="tablist" aria-label="Views" className="tabs" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.view}
            ref={(el) => {
              if (el) refs.current.set(t.view, el);
            }}
            type="button"
            role="tab"
            id={`tab-${t.view}`}
            aria-selected={current === t.view}
            aria-controls={`panel-${t.view}`}
            tabIndex={current === t.view ? 0 : -1}
            className="tab"
            onClick={() => showView(t.view)}
          >
            {t.label}
            {t.view === 'backups' && backupErrors > 0 && (
              <span className="badge error" aria-label={`${backupErrors} backup chain errors`}>
                {backupErrors.toLocaleString('en')}
              </span>
            )}
            {t.view === 'chain' && chainProblems > 0 && (
              <span className="badge warning" aria-label={`${chainProblems} problems`}>
                {chainProblems.toLocaleString('en')}
              </span>
            )}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${current}`}
        aria-labelledby={`tab-${current}`}
        className={`tab-panel tab-panel-${current}`}
      >
        {current === 'vms' ? (
          <VmsView />
        ) : current === 'checkpoint' ? (
          count === 0 ? (
            <Welcome />
          ) : (
            <DocumentView />
          )
        ) : current === 'chain' ? (
          <ChainView />
        ) : current === 'bitmaps' ? (
          <BitmapsView />
        ) : current === 'backups' ? (
          <BackupsView />
        ) : current === 'collect' ? (
          <CollectView />
        ) : current === 'help' ? (
          <HelpView />
        ) : (
          <Suspense fallback={<p className="pane-note">Loading the graph…</p>}>
            <ChainGraph />
          </Suspense>
        )}
      </div>
    </>
  );
}
