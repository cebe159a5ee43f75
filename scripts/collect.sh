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
# it changes nothing on the host: it only reads (virsh, qemu-img -U) and writes those two, each
# file created anew (never over anything, never through a link). Each command gets
# COLLECT_TIMEOUT seconds (60). A run that fails half-way removes what it wrote.
set -eu
# noclobber: a redirect creates its file, or fails if anything (a link too) is there.
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
made_dir=
made_archive=
finished=
answers=
cleanup() {
  if [ -n "$answers" ]; then rm -rf -- "$answers" || :; fi
  [ -z "$finished" ] || return 0
  if [ -n "$made_archive" ]; then rm -f -- "./$out.tar.gz" || :; fi
  if [ -n "$made_dir" ]; then
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
# mkdir without -p fails if anything is there: the folders are this run's own.
mkdir -- "./$out" || fail "could not create ./$out"
made_dir=1
mkdir -- "./$out/checkpoints" "./$out/images"
problems=0

# Runs a command into a new file, created by the redirect (noclobber). Something already there (a
# link planted meanwhile) is never written to, and stops the run. A file this run created and
# could not fill is removed, and the command's failure returned.
into() {
  file=$1
  shift
  created=
  { created=1 && "$@"; } >"$file" && return 0
  [ -n "$created" ] || fail "$file was there before this run could create it: nothing written to it"
  rm -f -- "$file" || :
  return 1
}

into "./$out/domain.xml" v dumpxml --domain "$domain" || fail 'virsh dumpxml failed'
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
  if into "./$out/checkpoints/$name.xml" v checkpoint-dumpxml --domain "$domain" --checkpointname "$name"; then
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
' "./$out/domain.xml")

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
    if into "./$out/images/$target.json" bounded "qemu-img info $source" \
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
    if into "./$out/images/qmp.json" v qemu-monitor-command --domain "$domain" \
      --cmd '{"execute":"query-named-block-nodes","arguments":{"flat":true}}'; then
      echo "wrote $out/images/qmp.json (QMP query-named-block-nodes, the VM $state)"
    else
      echo "QEMU did not answer (virsh qemu-monitor-command failed): reading each disk with qemu-img info -U instead (bitmaps as of the last shutdown)" >&2
      images
    fi
    ;;
esac

# tar writes to its standard output, into a file the redirect creates (noclobber).
{ made_archive=1 && tar -czf - "./$out"; } >"./$out.tar.gz" || {
  [ -n "$made_archive" ] ||
    fail "./$out.tar.gz was there before this run could create it: nothing written to it"
  fail "tar could not write ./$out.tar.gz"
}
finished=1
echo "wrote $out.tar.gz: open it in the checkpoint editor"
exit "$problems"
