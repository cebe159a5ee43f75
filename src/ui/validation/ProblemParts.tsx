import type { Problem } from '../../core/index.ts';
import { MOMENT_MEANING, problemHelp } from '../../core/index.ts';
import { useEditor } from '../../state/index.ts';
import { Message } from '../app/Message.tsx';

/** "Help for parent-missing": opens the Help view at that problem's entry. */
export function HelpLink({ code }: { code: string }) {
  const showHelp = useEditor((s) => s.showHelp);
  const help = problemHelp(code);
  return (
    <button
      type="button"
      className="help-link"
      aria-label={`Help: ${code}`}
      title={help ? `${help.title}: what libvirt does, how to fix it` : 'Help'}
      onClick={() => showHelp(code)}
    >
      ?
    </button>
  );
}

/** libvirt's "moment", said in plain words where its message uses it. */
export function MomentNote({ message }: { message: string }) {
  if (!/\bmoment\b/.test(message)) return null;
  return (
    <span className="moment-note" title={MOMENT_MEANING}>
      (“moment” is libvirt’s word for a checkpoint)
    </span>
  );
}

/** libxml2's words on a fact a field rule already said, below that rule's line. */
export function ProblemDetails({ details }: { details: readonly Problem[] }) {
  if (details.length === 0) return null;
  return (
    <ul className="problem-details" aria-label="libxml2 says">
      {details.map((d, i) => (
        <li key={i}>
          <span className="detail-source">
            libxml2{d.line !== undefined ? `, line ${d.line}` : ''}:
          </span>{' '}
          <Message text={d.message} />
        </li>
      ))}
    </ul>
  );
}
