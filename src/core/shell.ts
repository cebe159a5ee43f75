/** Characters a reader of the script would not see, or that turn the text around them. */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const UNSEEN_ALL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Quotes a word for a POSIX shell: the shell reads it back exactly, whatever it holds (newlines and
 * control characters included; a NUL cannot be in an argument at all). A word starting with `-`
 * stays a word to the shell: the command it goes to must take it as an option's value.
 */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `name=value` for a POSIX shell. A value with characters that do not print is written as a
 * printf format with each such character as octal escapes of its UTF-8 bytes, so the script reads
 * as what it runs (no line break, terminal escape or bidi override in its text). The `.` printed
 * after the value keeps trailing newlines from being dropped by the command substitution.
 */
export function shellAssignment(name: string, value: string): string {
  if (!UNSEEN.test(value)) return `${name}=${shellQuote(value)}`;
  const encoder = new TextEncoder();
  const format = value
    .replace(/[\\%]/g, (c) => (c === '%' ? '%%' : '\\\\'))
    .replace(UNSEEN_ALL, (c) =>
      [...encoder.encode(c)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join(''),
    )
    // A format starting with `-` would be read as an option of printf.
    .replace(/^-/, '\\055');
  return `${name}=$(printf ${shellQuote(`${format}.`)}); ${name}=\${${name}%.}`;
}

/**
 * A value as one word of a command: quoted in place, or, when it has characters that do not
 * print, assigned to `variable` first (a line pushed onto `lines`) and given as `"$variable"`.
 */
export function shellWord(lines: string[], variable: string, value: string): string {
  if (!UNSEEN.test(value)) return shellQuote(value);
  lines.push(shellAssignment(variable, value));
  return `"$${variable}"`;
}

/** The words of one script: see shellWords. */
export interface ShellWords {
  /** The value as one word of a command, quoted, or the variable that holds it. */
  word: (kind: string, value: string) => string;
  /** The variables' assignments, to be written before any use. */
  assignments: string[];
}

/**
 * The words of one script, each quoted where it is used; a value with characters that do not
 * print is assigned once to a variable of its own, so every part of the script can use it.
 */
export function shellWords(): ShellWords {
  const assignments: string[] = [];
  const variables = new Map<string, string>();
  const word = (kind: string, value: string) => {
    if (!UNSEEN.test(value)) return shellQuote(value);
    const key = `${kind}\0${value}`;
    let variable = variables.get(key);
    if (variable === undefined) {
      variable = `${kind}_${variables.size + 1}`;
      variables.set(key, variable);
      assignments.push(shellAssignment(variable, value));
    }
    return `"$${variable}"`;
  };
  return { word, assignments };
}

/** Words of ours as comment lines of at most 100 characters. */
export function shellComment(text: string): string[] {
  const out: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > 100 && line !== '#') {
      out.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out;
}
