#!/bin/sh
# Collects what the checkpoint editor needs about one libvirt VM, run on its host:
#   sh collect.sh [-c URI] [--] DOMAIN
# writes, in the current folder, DOMAIN-checkpoints/ and DOMAIN-checkpoints.tar.gz holding
#   domain.xml            virsh dumpxml DOMAIN (the VM's definition)
#   checkpoints/NAME.xml  virsh checkpoint-dumpxml DOMAIN NAME, for every checkpoint
#   images/TARGET.json    qemu-img info --output=json --backing-chain -U -f FORMAT SOURCE, every
#                         disk (the VM shut off, or QEMU would not answer), FORMAT its <driver type>
#   images/qmp.json       the QMP query-named-block-nodes answer (the VM running)
# Open the .tar.gz in the checkpoint editor. It needs only virsh, qemu-img, tar and coreutils, and
# it changes nothing on the host: it only reads (virsh, qemu-img -U) and writes those two. They
# are written in a private folder of this run's (mktemp -d, beside them), then renamed into place
# by a rename that refuses anything there (mv -T -n: renameat2 RENAME_NOREPLACE): no path that
# existed before is ever opened for writing, not a file, a link, a FIFO nor a device. Readable by
# the user who ran it only (umask 077). Each command gets COLLECT_TIMEOUT seconds (60). A run that
# fails half-way removes what it wrote.
set -eu
umask 077
# noclobber: a redirect creates its file, or fails if anything (a link too) is there. Belt and
# braces: every redirect is into this run's private folder.
set -C

usage() {
  echo 'usage: sh collect.sh [-c URI] [--] DOMAIN'
}

fail() {
  printf 'collect.sh: %s\n' "$*" >&2
  exit 1
}

uri=
while [ "$#" -gt 0 ]; do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    -c)
      [ "$#" -ge 2 ] || { usage >&2 && exit 2; }
      uri=$2
      shift 2
      ;;
    --)
      shift
      break
      ;;
    -*)
      printf "collect.sh: unknown option '%s'\n" "$1" >&2
      usage >&2
      exit 2
      ;;
    *) break ;;
  esac
done
[ "$#" -eq 1 ] || { usage >&2 && exit 2; }
domain=$1

limit=${COLLECT_TIMEOUT:-60}
case $limit in '' | *[!0-9]* | 0) fail "COLLECT_TIMEOUT='$limit' is not a whole number of seconds" ;; esac
command -v timeout >/dev/null || fail 'timeout (coreutils) is not installed here'

# Runs a command for at most $limit seconds; one that does not answer is said, by what it was.
# In the background and waited for: a signal to this script is handled at once (wait returns),
# and the command killed with it.
child=
bounded() {
  what=$1
  shift
  timeout -k 5 "$limit" "$@" &
  child=$!
  status=0
  wait "$child" || status=$?
  child=
  case $status in
    124 | 137) printf 'collect.sh: %s: no answer in %s s\n' "$what" "$limit" >&2 ;;
  esac
  return "$status"
}

# virsh as the operator runs it, on the URI given, else on libvirt's default one.
v() {
  if [ -n "$uri" ]; then
    bounded "virsh $1" virsh -q -c "$uri" "$@"
  else
    bounded "virsh $1" virsh -q "$@"
  fi
}

case $domain in
  '' | */* | . | ..) fail "'$domain' cannot name a folder" ;;
esac
out=$domain-checkpoints

# What this run made, removed if it does not finish: a rerun then starts as the first did.
work=
placed_dir=
finished=
answers=
cleanup() {
  if [ -n "$answers" ]; then rm -rf -- "$answers" || :; fi
  if [ -n "$work" ]; then rm -rf -- "$work" || :; fi
  [ -z "$finished" ] || return 0
  if [ -n "$work" ]; then printf 'collect.sh: removed %s, which this run made\n' "$work" >&2; fi
  if [ -n "$placed_dir" ]; then
    rm -rf -- "./$out" || :
    printf 'collect.sh: removed ./%s, which this run made\n' "$out" >&2
  fi
}
# A signal ends the command running, then the script: 128 + the signal's number.
interrupted() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || :; fi
  exit "$1"
}
trap cleanup EXIT
trap 'interrupted 129' HUP
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

# Refuses a path anything (a file, a folder, a link, even a dangling one) already holds.
fresh() {
  if [ -e "$1" ] || [ -L "$1" ]; then fail "$1 already exists: move it away first"; fi
}
fresh "./$out"
fresh "./$out.tar.gz"
# This run's private folder goes beside the results (below). In a folder other users may write to
# without the sticky bit (chmod +t, as /tmp has), any of them could rename that folder and put a
# link or a folder of theirs in its place while this run writes into it: refused before anything
# is asked or written, as OpenSSH refuses a key in a folder others can change. ACLs aside.
case $(stat -c %A .) in
  *[tT]) ;;
  ?????w???? | ????????w?)
    fail "$(pwd) may be written by other users and has no sticky bit: one of them could swap this run's folder for a link; run collect.sh in a folder only you can write to"
    ;;
esac

# virsh's answers, kept in a private folder of this run's (mktemp -d) rather than read through $(…):
# the script waits for them itself, so a signal is handled at once.
answers=$(mktemp -d) || fail 'mktemp -d failed'
asked=0
ask() {
  asked=$((asked + 1))
  v "$@" >"$answers/$asked" || return
  answer=$(cat -- "$answers/$asked")
}

ask domstate --domain "$domain" || fail "no domain '$domain' (virsh domstate failed)"
state=$answer
# This run's own folder, beside where the results go (a rename does not cross file systems):
# mktemp -d creates it, mode 0700, or fails; nothing but this run writes in it.
work=$(mktemp -d "./.$out.XXXXXX") || fail "could not create a folder of this run's in $(pwd)"
made=$work/$out
mkdir -- "$made" "$made/checkpoints" "$made/images"
problems=0

# Runs a command into a new file, created by the redirect (noclobber). Something already there is
# never written to, and stops the run. A file this run created and could not fill is removed, and
# the command's failure returned.
into() {
  file=$1
  shift
  created=
  { created=1 && "$@"; } >"$file" && return 0
  [ -n "$created" ] || fail "$file was there before this run could create it: nothing written to it"
  rm -f -- "$file" || :
  return 1
}

into "$made/domain.xml" v dumpxml --domain "$domain" || fail 'virsh dumpxml failed'
echo "wrote $out/domain.xml (virsh dumpxml, the VM $state)"

ask checkpoint-list --domain "$domain" --name --topological || fail 'virsh checkpoint-list failed'
names=$answer
count=0
while IFS= read -r name; do
  [ -n "$name" ] || continue
  case $name in
    */* | .*)
      printf "skipped checkpoint '%s': not a file name\n" "$name" >&2
      problems=1
      continue
      ;;
  esac
  # NAME.xml must fit a file name (255 bytes): libvirt takes longer names.
  if [ "$(printf '%s.xml' "$name" | wc -c)" -gt 255 ]; then
    printf "skipped checkpoint '%s': NAME.xml is over 255 bytes, too long for a file name\n" "$name" >&2
    problems=1
    continue
  fi
  if into "$made/checkpoints/$name.xml" v checkpoint-dumpxml --domain "$domain" --checkpointname "$name"; then
    count=$((count + 1))
  else
    printf "skipped checkpoint '%s': virsh checkpoint-dumpxml failed\n" "$name" >&2
    problems=1
  fi
done <<NAMES
$names
NAMES
echo "wrote $count checkpoint(s) in $out/checkpoints/ (virsh checkpoint-dumpxml)"

# Each disk's format as libvirt passes it to QEMU (its <driver type>), "TARGET FORMAT" a line:
# qemu-img is never left to guess it from what a guest wrote into its disk. Read by libvirt's own
# indentation: <devices> two spaces in, a <disk> four, its <driver> and <target> six (nothing in
# <metadata> stands there).
formats=$(awk '
  /^  <devices>$/ { devices = 1 }
  /^  <\/devices>$/ { devices = 0 }
  devices && /^    <disk / { disk = 1; type = ""; dev = "" }
  disk && type == "" && /^      <driver / && match($0, / type=\047[^\047]*\047/) {
    type = substr($0, RSTART + 7, RLENGTH - 8)
  }
  disk && dev == "" && /^      <target / && match($0, / dev=\047[^\047]*\047/) {
    dev = substr($0, RSTART + 6, RLENGTH - 7)
  }
  disk && /^    <\/disk>$/ { if (dev != "") print dev, type; disk = 0 }
' "$made/domain.xml")

# qemu-img info of every local disk's image chain, -U: it reads while QEMU holds the images.
images() {
  ask domblklist --domain "$domain" --details || fail 'virsh domblklist failed'
  disks=$answer
  while read -r type device target source; do
    [ -n "$target" ] || continue
    [ "$device" = disk ] || continue
    case $target in */* | .*) continue ;; esac
    case $type:$source in
      file:/* | block:/*) ;;
      *)
        printf 'skipped disk %s: no local file or block device (%s %s)\n' "$target" "$type" "$source" >&2
        continue
        ;;
    esac
    format=$(printf '%s\n' "$formats" | awk -v t="$target" '$1 == t { print $2; exit }')
    case $format in
      '' | -*)
        printf "skipped disk %s: its <driver type> names no format, and qemu-img must not guess one\n" "$target" >&2
        problems=1
        continue
        ;;
    esac
    if into "$made/images/$target.json" bounded "qemu-img info $source" \
      qemu-img info --output=json --backing-chain -U -f "$format" -- "$source"; then
      echo "wrote $out/images/$target.json (qemu-img info -f $format of $source)"
    else
      printf 'skipped disk %s: qemu-img info %s failed\n' "$target" "$source" >&2
      problems=1
    fi
  done <<DISKS
$disks
DISKS
}

case $state in
  'shut off' | crashed)
    # The images as the VM left them. -U: should the VM start meanwhile, qemu-img still reads.
    images
    ;;
  *)
    # While QEMU runs, the bitmaps live in QEMU: ask it (one answer for every disk).
    if into "$made/images/qmp.json" v qemu-monitor-command --domain "$domain" \
      --cmd '{"execute":"query-named-block-nodes","arguments":{"flat":true}}'; then
      echo "wrote $out/images/qmp.json (QMP query-named-block-nodes, the VM $state)"
    else
      echo "QEMU did not answer (virsh qemu-monitor-command failed): reading each disk with qemu-img info -U instead (bitmaps as of the last shutdown)" >&2
      images
    fi
    ;;
esac

# The archive's members are ./DOMAIN-checkpoints/…, as if made here, listed in their paths'
# natural order (sort -V: bk.2 before bk.10), in which the editor opens a bundle while it unpacks
# the rest; NUL-separated, read by tar as they are (a name may hold any byte but / and NUL). A host
# whose find, sort or tar cannot (busybox) gets the folder as it lies, as before.
in_order() {
  (cd "$work" && find "./$out" -print0) >"$answers/members" &&
    sort -z -V <"$answers/members" >"$answers/in-order" &&
    tar -czf - -C "$work" --null --no-recursion -T "$answers/in-order" >"$made.tar.gz"
} 2>/dev/null
if ! in_order; then
  rm -f -- "$made.tar.gz"
  tar -czf - -C "$work" "./$out" >"$made.tar.gz" || fail "tar could not write ./$out.tar.gz"
fi

# Renames this run's $1 to ./$1, refusing anything there (a file, a folder, a link, a FIFO, a
# device, planted while this run went on): renameat2 RENAME_NOREPLACE never opens it. mv -n says
# nothing when it refuses (coreutils 9.1) or fails: what is left in the private folder tells.
place() {
  mv -T -n -- "$work/$1" "./$1" 2>/dev/null || :
  if [ -e "$work/$1" ] || [ -L "$work/$1" ]; then
    if [ -e "./$1" ] || [ -L "./$1" ]; then
      fail "./$1 was there before this run could put its own in place: nothing written to it"
    fi
    fail "could not put ./$1 in place"
  fi
}
place "$out"
placed_dir=1
place "$out.tar.gz"
rmdir -- "$work"
work=
finished=1
echo "wrote $out.tar.gz: open it in the checkpoint editor"
exit "$problems"
