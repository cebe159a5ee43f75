#!/bin/sh
# Collects what the checkpoint editor needs about one libvirt VM, run on its host:
#   sh collect.sh [-c URI] DOMAIN
# writes, in the current folder, DOMAIN-checkpoints/ and DOMAIN-checkpoints.tar.gz holding
#   domain.xml            virsh dumpxml DOMAIN (the VM's definition)
#   checkpoints/NAME.xml  virsh checkpoint-dumpxml DOMAIN NAME, for every checkpoint
#   images/TARGET.json    qemu-img info --output=json --backing-chain -U SOURCE, every disk
#                         (the VM shut off), or
#   images/qmp.json       the QMP query-named-block-nodes answer (the VM running)
# Open the .tar.gz in the checkpoint editor. It needs only virsh, qemu-img and tar, and it changes
# nothing on the host: it only reads (virsh, qemu-img -U) and writes those two, never over anything.
set -eu

usage() {
  echo 'usage: sh collect.sh [-c URI] DOMAIN' >&2
  exit 2
}

fail() {
  printf 'collect.sh: %s\n' "$*" >&2
  exit 1
}

uri=
if [ "${1:-}" = -c ]; then
  [ "$#" -ge 2 ] || usage
  uri=$2
  shift 2
fi
[ "$#" -eq 1 ] || usage
domain=$1

# virsh as the operator runs it, on the URI given, else on libvirt's default one.
v() {
  if [ -n "$uri" ]; then virsh -q -c "$uri" "$@"; else virsh -q "$@"; fi
}

case $domain in
  '' | */* | . | ..) fail "'$domain' cannot name a folder" ;;
esac
out=$domain-checkpoints
[ ! -e "./$out" ] || fail "./$out already exists: move it away first"
[ ! -e "./$out.tar.gz" ] || fail "./$out.tar.gz already exists: move it away first"

state=$(v domstate --domain "$domain") || fail "no domain '$domain' (virsh domstate failed)"
mkdir -- "./$out" "./$out/checkpoints" "./$out/images"
problems=0

v dumpxml --domain "$domain" >"./$out/domain.xml"
echo "wrote $out/domain.xml (virsh dumpxml, the VM $state)"

names=$(v checkpoint-list --domain "$domain" --name --topological)
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
  if v checkpoint-dumpxml --domain "$domain" --checkpointname "$name" >"./$out/checkpoints/$name.xml"; then
    count=$((count + 1))
  else
    rm -f -- "./$out/checkpoints/$name.xml"
    printf "skipped checkpoint '%s': virsh checkpoint-dumpxml failed\n" "$name" >&2
    problems=1
  fi
done <<NAMES
$names
NAMES
echo "wrote $count checkpoint(s) in $out/checkpoints/ (virsh checkpoint-dumpxml)"

case $state in
  'shut off' | crashed)
    # The images as the VM left them. -U: should the VM start meanwhile, qemu-img still reads.
    disks=$(v domblklist --domain "$domain" --details)
    while read -r type device target source; do
      [ -n "$target" ] || continue
      [ "$device" = disk ] || continue
      case $target in */* | .*) continue ;; esac
      case $type:$source in
        file:/* | block:/*)
          if qemu-img info --output=json --backing-chain -U "$source" >"./$out/images/$target.json"; then
            echo "wrote $out/images/$target.json (qemu-img info of $source)"
          else
            rm -f -- "./$out/images/$target.json"
            printf 'skipped disk %s: qemu-img info %s failed\n' "$target" "$source" >&2
            problems=1
          fi
          continue
          ;;
      esac
      printf 'skipped disk %s: no local file or block device (%s %s)\n' "$target" "$type" "$source" >&2
    done <<DISKS
$disks
DISKS
    ;;
  *)
    # While QEMU runs, the bitmaps live in QEMU: ask it (one answer for every disk).
    v qemu-monitor-command --domain "$domain" \
      --cmd '{"execute":"query-named-block-nodes","arguments":{"flat":true}}' >"./$out/images/qmp.json"
    echo "wrote $out/images/qmp.json (QMP query-named-block-nodes, the VM $state)"
    ;;
esac

tar -czf "./$out.tar.gz" "./$out"
echo "wrote $out.tar.gz: open it in the checkpoint editor"
exit "$problems"
