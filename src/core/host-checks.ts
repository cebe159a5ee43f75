// The part every generated host script shares: its options, and the checks it makes on the host
// before it changes anything (Ansible's check mode is the model: the plan is printed, and only
// `--apply` acts; each action is skipped when already done, so a rerun finishes the job).

/** A VM state as `virsh domstate` prints it in the C locale. */
export type DomainState = 'shut off' | 'running' | 'paused';

/**
 * A string as QEMU's JSON writer prints it (`quoted_str` in qobject/json-writer.c): `"` and `\`
 * escaped, \b \f \n \r \t by letter, every other character outside printable ASCII as `\uXXXX`
 * in upper case, those beyond the BMP as a surrogate pair. qemu-img info prints a bitmap's name so.
 */
export function qemuJsonString(value: string): string {
  let out = '"';
  for (const c of value) {
    const cp = c.codePointAt(0) as number;
    const hex = (n: number) => `\\u${n.toString(16).toUpperCase().padStart(4, '0')}`;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (cp > 0xffff) {
      const v = cp - 0x10000;
      out += hex(0xd800 + (v >> 10)) + hex(0xdc00 + (v & 0x3ff));
    } else if (cp < 0x20 || cp >= 0x7f) out += hex(cp);
    else out += c;
  }
  return `${out}"`;
}

/**
 * A cell as `virsh domblklist` prints it under a UTF-8 locale (vshTableSafeEncode in libvirt's
 * tools/vsh-table.c): an ASCII control character, and the `\` of a `\x`, as `\xNN`; a character
 * that does not print (C1 controls) as `\xff` per byte, as libvirt's signed `%02x` cut to four
 * characters writes it. Characters glibc deems not printable beyond these make the script refuse
 * (the paths differ), never accept.
 */
export function virshTableCell(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((c, i) => {
    const cp = c.codePointAt(0) as number;
    if (cp < 0x20 || cp === 0x7f || (c === '\\' && chars[i + 1] === 'x'))
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp <= 0x9f) out += '\\xff\\xff';
    else out += c;
  });
  return out;
}

/** How the script is called, and what it needs: its head after the comments that say what it does. */
export function scriptOptions(): string[] {
  return [
    'set -u',
    'uri=',
    'apply=',
    'usage() {',
    `  printf 'usage: %s [-c URI] [--apply]\\n' "$0" >&2`,
    '  exit 2',
    '}',
    'while [ $# -gt 0 ]; do',
    '  case $1 in',
    '    -c) [ $# -ge 2 ] || usage; uri=$2; shift 2 ;;',
    '    --apply) apply=1; shift ;;',
    '    *) usage ;;',
    '  esac',
    'done',
    "# virsh's words (domstate, domblklist) as the checks read them, whatever the operator's language.",
    'LC_ALL=C.UTF-8',
    'export LC_ALL',
  ];
}

/**
 * The shell functions of the checks and of acting. A check sets `st_N` of action N to `todo`, to
 * `skip` (already done) or to `fail`, and each failed check is said with `refuse`; `finish_checks`
 * stops the script there, having changed nothing, if any failed. Formats are always ours: names
 * from files are only ever printf's arguments.
 */
export const HOST_FUNCTIONS: readonly string[] = [
  'run_virsh() {',
  '  if [ -n "$uri" ]; then virsh -c "$uri" "$@"; else virsh "$@"; fi',
  '}',
  'failed=',
  '# refuse FORMAT ARG...: a check failed.',
  'refuse() {',
  '  fmt=$1',
  '  shift',
  '  # shellcheck disable=SC2059',
  '  printf "Check failed: $fmt\\n" "$@" >&2',
  '  failed=1',
  '}',
  '# check_domain UUID WHY STATE...: the VM is there, with this uuid if one is given, in one of the states.',
  'check_domain() {',
  '  if ! state=$(run_virsh domstate --domain "$DOMAIN" 2>&1); then',
  `    printf 'Check failed: no VM %s on this host: %s\\nNothing was changed.\\n' "$DOMAIN" "$state" >&2`,
  '    exit 1',
  '  fi',
  '  if [ -n "$1" ]; then',
  '    got=$(run_virsh domuuid --domain "$DOMAIN" 2>&1)',
  `    [ "$got" = "$1" ] || refuse 'VM %s has uuid %s, but the plan was made for uuid %s: not the same VM' "$DOMAIN" "$got" "$1"`,
  '  fi',
  '  why=$2',
  '  shift 2',
  '  [ $# -eq 0 ] && return 0',
  '  for want in "$@"; do [ "$state" = "$want" ] && return 0; done',
  `  refuse 'VM %s is %s, but the plan needs it %s: %s' "$DOMAIN" "$state" "$1" "$why"`,
  '}',
  'checkpoints=',
  "# read_checkpoints: the VM's checkpoints, one name a line, as libvirt lists them now.",
  'read_checkpoints() {',
  '  if ! checkpoints=$(run_virsh checkpoint-list --domain "$DOMAIN" --name 2>&1); then',
  `    refuse 'cannot list the checkpoints of VM %s: %s' "$DOMAIN" "$checkpoints"`,
  '    checkpoints=',
  '  fi',
  '}',
  "nl='",
  "'",
  '# has_checkpoint NAME: libvirt lists a checkpoint of exactly this name (a whole line, not a part).',
  'has_checkpoint() {',
  '  case "$nl$checkpoints$nl" in *"$nl$1$nl"*) return 0 ;; esac',
  '  return 1',
  '}',
  "# top_image TARGET: the disk's top image now, as virsh domblklist --details prints it.",
  'top_image() {',
  '  run_virsh domblklist --details --domain "$DOMAIN" |',
  `    T=$1 awk 'NR > 2 && $3 == ENVIRON["T"] { sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +/, ""); print; exit }'`,
  '}',
  "# check_top TARGET IMAGE: the disk's top image is the one the plan names.",
  'check_top() {',
  '  got=$(top_image "$1")',
  `  [ "$got" = "$2" ] || refuse 'disk %s: its image is now %s, but the plan was made for %s' "$1" "\${got:-none}" "$2"`,
  '}',
  '# bitmap_flags IMAGE JSON_NAME: the flags of the bitmap (in-use, auto, or none), or gone; fails',
  '# when qemu-img cannot read the image (not there, or open in a running VM). The name is matched',
  '# whole, as qemu-img info --output=json writes it.',
  'bitmap_flags() {',
  '  info=$(qemu-img info --output=json -f qcow2 -- "$1" 2>&1) || { printf %s "$info"; return 1; }',
  `  printf '%s\\n' "$info" | N=$2 awk '`,
  '    /^ *"bitmaps": [[]$/ { inb = 1; next }',
  '    !inb { next }',
  '    inf { if ($0 ~ /^ *[]],?$/) inf = 0; else { f = $0; gsub(/^ *"|",?$/, "", f); flags[f] = 1 }; next }',
  '    /^ *"flags": [[]$/ { inf = 1; next }',
  '    /^ *"name": "/ { name = $0; sub(/^ *"name": /, "", name); sub(/,$/, "", name); next }',
  '    /^ *[}],?$/ {',
  '      if (name == ENVIRON["N"]) {',
  '        found = ("in-use" in flags) ? "in-use" : ""',
  '        if ("auto" in flags) found = found (found == "" ? "" : " ") "auto"',
  '        if (found == "") found = "none"',
  '      }',
  '      split("", flags); name = ""; next',
  '    }',
  '    /^ *[]],?$/ { inb = 0 }',
  `    END { print (found == "" ? "gone" : found) }'`,
  '}',
  '# check_bitmap N IMAGE NAME JSON_NAME FLAGS: action N removes the bitmap, which the plan saw with',
  '# these flags: to do while it is so, already done once it is gone.',
  'check_bitmap() {',
  '  if ! got=$(bitmap_flags "$2" "$4"); then',
  `    refuse 'cannot read image %s: %s' "$2" "$got"`,
  '    eval "st_$1=fail"',
  '    return',
  '  fi',
  '  case $got in',
  '    gone) eval "st_$1=skip" ;;',
  '    "$5") eval "st_$1=todo" ;;',
  '    *)',
  `      refuse 'bitmap %s in %s has flags %s now, but the plan saw %s' "$3" "$2" "$got" "$5"`,
  '      eval "st_$1=fail" ;;',
  '  esac',
  '}',
  '# check_flags IMAGE NAME JSON_NAME FLAGS: the plan relies on the bitmap being so (gone: not there).',
  'check_flags() {',
  '  if ! got=$(bitmap_flags "$1" "$3"); then',
  `    refuse 'cannot read image %s: %s' "$1" "$got"`,
  '  elif [ "$got" != "$4" ]; then',
  `    refuse 'bitmap %s in %s: %s now, but the plan relies on %s' "$2" "$1" "$got" "$4"`,
  '  fi',
  '}',
  '# check_checkpoint N NAME: action N deletes the checkpoint: to do while libvirt lists it.',
  'check_checkpoint() {',
  '  if has_checkpoint "$2"; then eval "st_$1=todo"; else eval "st_$1=skip"; fi',
  '}',
  '# check_new_checkpoint N NAME: action N defines the checkpoint: to do until libvirt lists it.',
  'check_new_checkpoint() {',
  '  if has_checkpoint "$2"; then eval "st_$1=skip"; else eval "st_$1=todo"; fi',
  '}',
  '# in_order STEP N...: the actions, in the order this script does them, are done up to one and to',
  '# do from there, as a run of this script that stopped leaves them; else someone else changed them.',
  'in_order() {',
  '  step=$1',
  '  shift',
  '  todo=',
  '  for n in "$@"; do',
  '    eval "s=\\$st_$n"',
  '    if [ "$s" = todo ]; then todo=1; elif [ "$s" = skip ] && [ -n "$todo" ]; then',
  `      refuse 'step %s is partly done, but not as a run of this script leaves it: changed since the plan was made' "$step"`,
  '      return',
  '    fi',
  '  done',
  '}',
  '# finish_checks: stops here, having changed nothing, if a check failed.',
  'finish_checks() {',
  '  if [ -n "$failed" ]; then',
  "    echo 'Nothing was changed: the host is not as the plan saw it (see above). Collect the VM again and make a new script.' >&2",
  '    exit 1',
  '  fi',
  '}',
  '# say N FORMAT ARG...: one action of the plan, and whether it is to do or already done.',
  'say() {',
  '  eval "s=\\$st_$1"',
  '  shift',
  '  fmt=$1',
  '  shift',
  '  if [ "$s" = skip ]; then w="already done"; else w="to do"; fi',
  '  # shellcheck disable=SC2059',
  '  printf "  [%s] $fmt\\n" "$w" "$@"',
  '}',
  '# end_of_plan: a dry run (no --apply) ends here.',
  'end_of_plan() {',
  '  if [ -z "$apply" ]; then',
  "    echo 'Dry run: nothing was changed. Run it again with --apply to do what is to do.'",
  '    exit 0',
  '  fi',
  '}',
  '# act N COMMAND...: does action N unless it is already done; a failure stops the script.',
  'act() {',
  '  eval "s=\\$st_$1"',
  '  n=$1',
  '  shift',
  '  [ "$s" = skip ] && return 0',
  '  if ! "$@"; then',
  `    printf 'Action %s failed (see above); the actions before it are done. Once the cause is fixed, run the script again: it skips what is done and finishes the job.\\n' "$n" >&2`,
  '    exit 1',
  '  fi',
  '  eval "st_$n=skip"',
  '}',
];

/** The script's three parts in order: the checks (nothing changes), the plan, acting (--apply). */
export function scriptParts(parts: {
  checks: readonly string[];
  plan: readonly string[];
  acting: string;
  actions: readonly string[];
}): string[] {
  return [
    '',
    '# The checks: nothing changes here.',
    ...parts.checks,
    'finish_checks',
    '',
    '# The plan.',
    ...parts.plan,
    'end_of_plan',
    '',
    `# ${parts.acting}`,
    ...parts.actions,
  ];
}
