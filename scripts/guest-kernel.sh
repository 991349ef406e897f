#!/usr/bin/env bash
# Prepares the Linux guest that the kernel tests (io.k9p.kernel.GuestVm) boot in QEMU, so they can
# mount our 9P server with the kernel's own 9P client.
#
# Result, in $K9P_GUEST_DIR (default: <repo>/.cache/guest):
#   vmlinuz              Debian's 6.1 kernel (the newest linux-image-6.1.0-N-amd64 apt knows of)
#   vmlinux              the same kernel decompressed, which QEMU boots ~4 s faster (absent if extraction failed)
#   modules/*.ko         the modules for 9P over TCP and the e1000 NIC, uncompressed so busybox insmod takes them
#   modules/load-order   their names in dependency order: the guest's /init insmods them in this order
#   busybox              the static busybox (package busybox-static) that is the guest's whole userland
#   kernel-release       written last: its presence means the directory is complete
#
# Idempotent: if kernel-release is there, it does nothing. Delete the directory to fetch a newer kernel.
# Needs: a Debian 12 (bookworm) apt with `apt-get update` done, and busybox-static installed; the tests also
# need qemu-system-x86. Root is not needed, but is what CI runs as.
set -euo pipefail

die() { echo "guest-kernel.sh: $*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
guest_dir=${K9P_GUEST_DIR:-$repo/.cache/guest}

# Dependency order: fscache needs netfs; 9pnet_fd (the tcp/fd transports) needs 9pnet; 9p needs all three.
modules=(netfs fscache 9pnet 9pnet_fd 9p e1000)
# Where each module lives under lib/modules/<release>/kernel/.
declare -A module_path=(
  [netfs]=fs/netfs [fscache]=fs/fscache [9pnet]=net/9p [9pnet_fd]=net/9p [9p]=fs/9p
  [e1000]=drivers/net/ethernet/intel/e1000
)

if [ -f "$guest_dir/kernel-release" ]; then
  echo "guest-kernel.sh: $guest_dir already prepared ($(cat "$guest_dir/kernel-release"))"
  exit 0
fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || die "needs apt-get and dpkg-deb (a Debian or Ubuntu machine)"

# Debian's non-static busybox is linked against glibc, which the guest does not have.
busybox=/bin/busybox
[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" = "install ok installed" ] && [ -x "$busybox" ] \
  || die "needs the static busybox: apt-get install busybox-static"

package=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | cut -d' ' -f1 | sort -V | tail -n 1)
[ -n "$package" ] || die "apt knows no linux-image-6.1.0-N-amd64 package: run apt-get update (Debian 12 sources needed)"
release=${package#linux-image-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt drops to user _apt for downloads; give it a directory it may write, else apt warns and works unsandboxed.
mkdir "$work/deb"
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then
  chmod 755 "$work"
  chown _apt "$work/deb"
fi

download() { # package -> path of its .deb
  (cd "$work/deb" && apt-get download -q "$1" >&2) || die "apt-get download $1 failed"
  local deb
  deb=$(find "$work/deb" -name "${1}_*.deb" | head -n 1)
  [ -n "$deb" ] || die "apt-get download $1 left no .deb in $work/deb"
  echo "$deb"
}

# xz-utils is not on every fresh machine (dpkg and apt only need liblzma); borrow its xz without installing it.
xz=
find_xz() {
  [ -n "$xz" ] && return
  if command -v xz >/dev/null; then xz=xz; return; fi
  echo "guest-kernel.sh: no xz here; unpacking xz-utils into a temporary directory" >&2
  dpkg-deb -x "$(download xz-utils)" "$work/xz-utils" || die "could not unpack xz-utils"
  xz="$work/xz-utils/usr/bin/xz"
}

echo "guest-kernel.sh: downloading $package"
deb=$(download "$package")

# Unpack only what the guest needs: the whole package is ~400 MB of modules. Like dpkg -x, but selective.
# Patterns allow modules under lib/ or usr/lib/ and any compression suffix (.ko, .ko.xz, .ko.zst, ...).
patterns=("./boot/vmlinuz-$release")
for m in "${modules[@]}"; do patterns+=("*/modules/$release/kernel/${module_path[$m]}/$m.ko*"); done
mkdir "$work/root"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/root" --wildcards "${patterns[@]}" \
  || die "$deb lacks some of: ${patterns[*]}"

stage="$work/guest"
mkdir -p "$stage/modules"
vmlinuz="$work/root/boot/vmlinuz-$release"
cp "$vmlinuz" "$stage/vmlinuz"
cp "$busybox" "$stage/busybox"

# The bzImage decompresses itself at boot, which under QEMU's TCG takes ~4 s of a ~9 s boot. Its payload,
# decompressed here, is an ELF vmlinux that QEMU boots directly through its PVH entry point (this kernel
# has CONFIG_PVH=y): the guest then boots in ~5 s. Boot protocol (Documentation/x86/boot.rst): "HdrS"
# at 0x202; setup_sects at 0x1f1 (0 means 4); the payload starts payload_offset (0x248) bytes after the
# setup sectors, and is payload_length (0x24c) bytes long, compressed data plus a 4-byte size.
le() { od -An -tu"$2" -j "$1" -N "$2" "$vmlinuz" | tr -d ' '; } # offset, bytes -> unsigned little-endian
if [ "$(dd if="$vmlinuz" bs=1 skip=$((0x202)) count=4 status=none)" = HdrS ]; then
  setup_sects=$(le $((0x1f1)) 1)
  [ "$setup_sects" = 0 ] && setup_sects=4
  payload_start=$(( (setup_sects + 1) * 512 + $(le $((0x248)) 4) ))
  payload_length=$(le $((0x24c)) 4)
  payload() { dd if="$vmlinuz" iflag=skip_bytes,count_bytes skip="$payload_start" count="$payload_length" status=none; }
  case "$(od -An -tx1 -j "$payload_start" -N 6 "$vmlinuz" | tr -d ' ')" in
    fd377a585a00) find_xz; payload | "$xz" -dc --single-stream > "$stage/vmlinux" ;;
    1f8b*) payload | gzip -dcq > "$stage/vmlinux" || [ $? = 2 ] ;; # 2: the trailing size, "garbage" to gzip
  esac
fi
if [ -f "$stage/vmlinux" ] && [ "$(head -c 4 "$stage/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
  echo "guest-kernel.sh: extracted vmlinux from vmlinuz for faster boots"
else
  rm -f "$stage/vmlinux"
  echo "guest-kernel.sh: note: could not extract vmlinux from vmlinuz; guests boot from vmlinuz, ~4 s slower" >&2
fi

# Decompress on the host: busybox insmod reads plain .ko only, and busybox has no zstd.
decompress() { # file -> stdout
  case "$1" in
    *.ko) cat "$1" ;;
    *.ko.gz) gzip -dc "$1" ;;
    *.ko.xz) find_xz; "$xz" -dc "$1" ;;
    *.ko.zst) command -v zstd >/dev/null || die "$1 is zstd-compressed: apt-get install zstd"; zstd -qdc "$1" ;;
    *) die "unknown module compression: $1" ;;
  esac
}
for m in "${modules[@]}"; do
  src=$(find "$work/root" -type f -path "*/modules/$release/kernel/${module_path[$m]}/$m.ko*" | head -n 1)
  [ -n "$src" ] || die "module $m not found in $package"
  decompress "$src" > "$stage/modules/$m.ko"
done
printf '%s\n' "${modules[@]}" > "$stage/modules/load-order"

# Install into place; kernel-release goes last so a half-done run is never taken for a prepared guest.
mkdir -p "$guest_dir"
rm -rf "$guest_dir/modules" "$guest_dir/vmlinux"
mv "$stage"/* "$guest_dir/"
echo "$release ($package $(dpkg-deb -f "$deb" Version))" > "$guest_dir/kernel-release"
echo "guest-kernel.sh: prepared $guest_dir ($(cat "$guest_dir/kernel-release"))"
