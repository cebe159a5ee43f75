import type { Problem } from '../../core/index.ts';
import { Message } from '../app/Message.tsx';

/** Problems as short lines: severity, where, and libvirt's words. */
export function ProblemList({ problems }: { problems: Problem[] }) {
  return (
    <ul className="problem-list">
      {problems.map((p, i) => (
        <li key={`${p.code}-${p.line}-${i}`} className="problem">
          <span className={`severity ${p.severity}`}>{p.severity}</span>
          <span className="message-cell">
            {p.line !== undefined && <span className="visually-hidden">line {p.line}: </span>}
            <Message text={p.message} />
          </span>
        </li>
      ))}
    </ul>
  );
}
