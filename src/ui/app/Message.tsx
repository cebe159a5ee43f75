/** The invisible marks that set text direction, with the short names Unicode gives them. */
const BIDI_CONTROLS: Record<string, string> = {
  '\u061c': 'ALM',
  '\u200e': 'LRM',
  '\u200f': 'RLM',
  '\u202a': 'LRE',
  '\u202b': 'RLE',
  '\u202c': 'PDF',
  '\u202d': 'LRO',
  '\u202e': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};
const BIDI_CONTROL = /([\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])/;

/** The message with each bidi control written out, for a tooltip. */
const spelled = (text: string) =>
  text.replace(new RegExp(BIDI_CONTROL.source, 'g'), (c) => `⟨${BIDI_CONTROLS[c]}⟩`);

/**
 * libvirt's words about a file, names quoted inside (`parent X for moment Y not found`). A name
 * cannot be isolated within the sentence, so a bidi control in it is shown as what it is (⟨RLO⟩)
 * instead of turning the rest of the message around; the whole message is isolated from its row,
 * kept to three lines, all of it in its tooltip.
 */
export function Message({ text }: { text: string }) {
  const parts = text.split(BIDI_CONTROL);
  return (
    <bdi className="message" title={spelled(text)}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span
            key={i}
            className="control-char"
            title={`U+${part.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`}
          >
            ⟨{BIDI_CONTROLS[part]}⟩
          </span>
        ) : (
          part
        ),
      )}
    </bdi>
  );
}
