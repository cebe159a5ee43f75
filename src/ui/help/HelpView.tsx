import { useEffect, useRef } from 'react';
import { HELP_TOPICS, MOMENT_MEANING, PROBLEM_HELP } from '../../core/index.ts';
import { selectHelpCode, useEditor } from '../../state/index.ts';
import './help.css';

const helpId = (code: string) => `help-${code}`;

/**
 * The Help view, in the page and offline: libvirt's words explained, and every problem code the
 * editor can show, with what libvirt does with such a file and how to fix it. A problem's ? opens
 * it at that code.
 */
export function HelpView() {
  const code = useEditor(selectHelpCode);
  const seq = useEditor((s) => s.helpSeq);
  const showView = useEditor((s) => s.showView);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (code === null) return;
    const entry = root.current?.querySelector<HTMLElement>(`#${CSS.escape(helpId(code))}`);
    entry?.scrollIntoView({ block: 'start' });
    entry?.focus({ preventScroll: true });
  }, [code, seq]);
  return (
    <div className="help-view" ref={root}>
      <h2 id="help-title">Help</h2>
      <p>
        Every problem the editor can show, what libvirt (
        <code>virsh checkpoint-create --redefine</code>) does with a file that has it, and how to
        fix it. The <span className="key">?</span> beside a problem comes here.
      </p>
      <section aria-labelledby="help-collect">
        <h3 id="help-collect">From the host to the page</h3>
        <p>
          The checkpoints, the VM definition and the disks’ bitmaps live on the libvirt host. One
          script collects them into a bundle that opens here as a folder would.{' '}
          <button type="button" className="button small" onClick={() => showView('collect')}>
            Collect from a host
          </button>
        </p>
      </section>
      <section aria-labelledby="help-words">
        <h3 id="help-words">libvirt’s words</h3>
        <dl className="help-words">
          <dt id={helpId('moment')} tabIndex={-1}>
            moment
          </dt>
          <dd>{MOMENT_MEANING}</dd>
          <dt>redefine</dt>
          <dd>
            Giving libvirt back a checkpoint it once had (<code>checkpoint-create --redefine</code>
            ): its metadata only; the bitmaps must already be in the disk images.
          </dd>
          <dt>parent, root, leaf</dt>
          <dd>
            Each checkpoint names the one before it, its parent; a root has none, a leaf has no
            children. libvirt links a checkpoint only to a parent it already has, so a chain is
            redefined parents first.
          </dd>
          <dt>bitmap</dt>
          <dd>
            What QEMU keeps in a qcow2 disk image for a checkpoint: the blocks written since. A disk
            with <code>checkpoint=&apos;no&apos;</code> has none.
          </dd>
        </dl>
      </section>
      {HELP_TOPICS.map(({ topic, title }) => (
        <section key={topic} aria-labelledby={`help-topic-${topic}`}>
          <h3 id={`help-topic-${topic}`}>{title}</h3>
          {PROBLEM_HELP.filter((h) => h.topic === topic).map((h) => (
            <article
              key={h.code}
              id={helpId(h.code)}
              tabIndex={-1}
              className={h.code === code ? 'help-entry current' : 'help-entry'}
              aria-labelledby={`${helpId(h.code)}-title`}
            >
              <h4 id={`${helpId(h.code)}-title`}>
                {h.title} <code>{h.code}</code>
              </h4>
              <dl>
                <dt>libvirt</dt>
                <dd>{h.libvirt}</dd>
                <dt>Fix</dt>
                <dd>{h.fix}</dd>
              </dl>
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}
