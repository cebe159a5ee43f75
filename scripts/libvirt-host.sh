#!/bin/sh
# A real libvirt host for the differential test of disk images (test/libvirt-host/): libvirt's
# QEMU driver with QEMU under TCG, on a Debian machine as root, without systemd or /dev/kvm.
# It installs nothing: .ci/run installs libvirt-daemon, libvirt-daemon-driver-qemu,
# qemu-system-x86 and qemu-utils. `start` starts virtlogd and libvirtd when they are not running
# and waits until libvirt answers for QEMU; `stop` stops what `start` started, nothing else, and
# puts back the qemu.conf it replaced.
set -eu

STATE=/run/checkpoint-editor-libvirt-host
URI=qemu:///system

fail() {
  echo "libvirt-host: $*" >&2
  exit 1
}

running() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

start() {
  [ "$(id -u)" = 0 ] || fail 'must run as root'
  for tool in libvirtd virtlogd virsh; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils)"
  done
  # The QEMU driver will not load without them (Debian's build names them as its defaults),
  # whatever user it is told to run QEMU as.
  getent group kvm >/dev/null || groupadd --system kvm
  getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
  getent passwd libvirt-qemu >/dev/null ||
    useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin \
      --gid libvirt-qemu --groups kvm libvirt-qemu
  mkdir -p /etc/libvirt /var/log/libvirt /run/libvirt "$STATE"
  if ! running /run/virtlogd.pid; then
    virtlogd -d
    wait_for_file /run/virtlogd.pid
    cp /run/virtlogd.pid "$STATE/virtlogd.pid"
  fi
  if ! running /run/libvirtd.pid; then
    write_qemu_conf
    libvirtd -d
    wait_for_file /run/libvirtd.pid
    cp /run/libvirtd.pid "$STATE/libvirtd.pid"
  fi
  i=0
  until virsh -c "$URI" version 2>/dev/null | grep -q 'hypervisor: QEMU'; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || fail "libvirtd does not answer for QEMU: $(virsh -c "$URI" version 2>&1 | tail -1)"
    sleep 0.5
  done
  virsh -c "$URI" version | grep 'hypervisor'
}

# QEMU as root with no security driver and no cgroups: a container has none of them to give.
# A qemu.conf already there is kept aside and put back by `stop`.
write_qemu_conf() {
  conf=/etc/libvirt/qemu.conf
  if [ ! -e "$STATE/qemu.conf.saved" ] && [ ! -e "$STATE/qemu.conf.none" ]; then
    if [ -e "$conf" ]; then cp -p "$conf" "$STATE/qemu.conf.saved"; else : >"$STATE/qemu.conf.none"; fi
  fi
  cat >"$conf" <<'CONF'
user = "root"
group = "root"
security_driver = "none"
cgroup_controllers = [ ]
CONF
}

restore_qemu_conf() {
  if [ -e "$STATE/qemu.conf.saved" ]; then
    mv "$STATE/qemu.conf.saved" /etc/libvirt/qemu.conf
  elif [ -e "$STATE/qemu.conf.none" ]; then
    rm -f /etc/libvirt/qemu.conf "$STATE/qemu.conf.none"
  fi
}

wait_for_file() {
  i=0
  until [ -s "$1" ]; do
    i=$((i + 1))
    [ "$i" -lt 60 ] || fail "$1 did not appear"
    sleep 0.2
  done
}

stop_one() {
  pidfile="$STATE/$1.pid"
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
      i=$((i + 1))
      sleep 0.2
    done
  fi
  rm -f "$pidfile"
}

stop() {
  stop_one libvirtd
  stop_one virtlogd
  restore_qemu_conf
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
