import { useId, useState } from 'react';
import { setCreationTime, useEditor } from '../../state/index.ts';
import { timeInWords, timeZoneName, useLocalTime } from '../app/times.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds since the epoch as the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The browser's time zone, named, with its offset at that moment: `Europe/Berlin, UTC+01:00`. */
function zoneOf(seconds: number | undefined): string {
  const name = timeZoneName();
  const minutes = -new Date((seconds ?? Date.now() / 1000) * 1000).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${name}, UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const SECONDS = /^\d*$/;

/**
 * libvirt's creationTime: raw seconds (what the file holds) in the "Creation time" textbox, with a
 * local date/time picker and the UTC time beside it. A draft that is not whole seconds stays in the
 * box, marked, until it is.
 */
export function CreationTimeField({
  id,
  seconds: text,
  written,
}: {
  id: string;
  seconds: string | undefined;
  /** What the file holds when libvirt cannot read it as a time: shown as it is, flagged. */
  written?: string | undefined;
}) {
  // Dates need a number; the stored text keeps libvirt's full range.
  const seconds = text === undefined ? undefined : Number(text);
  const edit = useEditor((s) => s.editCheckpoint);
  const base = useId();
  const stored = text ?? written ?? '';
  const [draft, setDraft] = useState<{ text: string; stored: string } | null>(null);
  // A draft is only kept while the stored value is the one it was typed over.
  const shown = draft && draft.stored === stored ? draft.text : stored;
  const invalid = !SECONDS.test(shown.trim()) || (written !== undefined && shown === written);
  const zone = zoneOf(seconds);
  const showLocal = useLocalTime();

  const commitSeconds = (value: string) => {
    const trimmed = value.trim();
    if (!SECONDS.test(trimmed)) {
      setDraft({ text: value, stored });
      return;
    }
    const next = trimmed.replace(/^0+(?=\d)/, '');
    const nextStored = next === '0' ? '' : next;
    setDraft(value === nextStored ? null : { text: value, stored: nextStored });
    edit(id, setCreationTime(next || undefined));
  };

  return (
    <>
      <label htmlFor={`${base}-seconds`}>Creation time</label>
      <div className="creation-time">
        <input
          id={`${base}-seconds`}
          type="text"
          inputMode="numeric"
          value={shown}
          aria-invalid={invalid}
          aria-describedby={`${base}-hint`}
          placeholder="seconds since 1970"
          spellCheck={false}
          onChange={(e) => commitSeconds(e.target.value)}
        />
        <input
          type="datetime-local"
          step={1}
          aria-label={`Creation time, date and time in ${zone}`}
          title={`In this browser's time zone: ${zone}`}
          value={seconds ? toLocalInput(seconds) : ''}
          onChange={(e) => {
            const ms = e.target.value ? new Date(e.target.value).getTime() : NaN;
            if (!Number.isNaN(ms)) edit(id, setCreationTime(Math.floor(ms / 1000)));
          }}
        />
      </div>
      <div id={`${base}-hint`} className={invalid ? 'hint error' : 'hint'}>
        {invalid
          ? 'Creation time must be whole seconds since 1970-01-01 UTC.'
          : seconds
            ? `${timeInWords(text, showLocal)} · picker in ${zone}`
            : 'Not set: libvirt sets it when it creates the checkpoint.'}
      </div>
    </>
  );
}
