import type { Problem } from '../../core/index.ts';
import { explainProblems } from '../../core/index.ts';
import { Message } from '../app/Message.tsx';
import { HelpLink, MomentNote, ProblemDetails } from './ProblemParts.tsx';

/**
 * Problems as short lines beside the fields they are about: severity and the words (a field rule's
 * own line first, libxml2's below it), and a link to their help.
 */
export function ProblemList({ problems }: { problems: Problem[] }) {
  return (
    <ul className="problem-list">
      {explainProblems(problems).map(({ problem: p, details }, i) => (
        <li key={`${p.code}-${p.line}-${i}`} className="problem">
          <span className={`severity ${p.severity}`}>{p.severity}</span>
          <span className="message-cell">
            {p.line !== undefined && <span className="visually-hidden">line {p.line}: </span>}
            <Message text={p.message} />
            <MomentNote message={p.message} />
            <ProblemDetails details={details} />
          </span>
          <HelpLink code={p.code} />
        </li>
      ))}
    </ul>
  );
}
