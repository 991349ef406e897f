#!/usr/bin/env bash
# Prepares the Debian userland that the kernel tests' Debian guest (io.k9p.kernel.GuestVm.requireDebian)
# unpacks before its own small archive, so that the tools people use (GNU coreutils, grep, sed, findutils,
# diffutils, vim, python3, jq) and the editors whose saves the editor matrix checks (nano, driven through
# tmux; ed; kakoune; perl's -i from perl-base) run against the 9P mount, rather than busybox's stand-ins.
#
# Result, in $K9P_GUEST_DIR (default: <repo>/.cache/guest), beside what guest-kernel.sh puts there:
#   userland.cpio       Debian 12 minbase plus those packages, trimmed of docs, man pages, locales and apt's
#                       lists and caches, as one uncompressed newc cpio archive (~130 MB)
#   userland-release    written last: its first line is the suite and packages the archive was made of
#
# Uncompressed, because the kernel unpacks it fastest so: under QEMU's TCG the Debian guest's boot took
# ~6 s with it, ~8.7 s zstd-compressed, ~10 s gzip, ~22 s xz (lz4's legacy format cannot be followed by a
# second archive). GNU cpio pads the archive to 512 bytes, so an archive appended to it starts aligned.
#
# Idempotent: if userland-release names the same suite and packages, it does nothing; delete it to rebuild.
# Needs: root (debootstrap creates device nodes and chroots), debootstrap, cpio, debian-archive-keyring, and
# a Debian mirror in apt's sources (the one `apt-get update` uses; about 40 MB are downloaded).
set -euo pipefail

die() { echo "guest-userland.sh: $*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
guest_dir=${K9P_GUEST_DIR:-$repo/.cache/guest}
suite=bookworm
# minbase already has coreutils, grep, sed, findutils and diffutils (they are Essential); they are named so
# that the list says what the tests rely on.
packages=coreutils,grep,sed,findutils,diffutils,vim,python3,jq,nano,tmux,ed,kakoune
config="$suite minbase $packages"
# What the tests run: checked to be there and to start before the archive is made.
tools=(sed grep find diff cp dd timeout mount vim python3 jq nano tmux ed kak perl)

marker="$guest_dir/userland-release"
if [ -f "$marker" ] && [ -f "$guest_dir/userland.cpio" ] && [ "$(head -n 1 "$marker")" = "$config" ]; then
  echo "guest-userland.sh: $guest_dir/userland.cpio already prepared ($config)"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root: debootstrap creates device nodes and runs package scripts in a chroot"
command -v debootstrap >/dev/null || die "needs debootstrap: apt-get install debootstrap"
command -v cpio >/dev/null || die "needs cpio: apt-get install cpio"
command -v apt-get >/dev/null || die "needs apt-get, to find the Debian mirror (a Debian or Ubuntu machine)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "needs $keyring to check the mirror's signatures: apt-get install debian-archive-keyring"

# The mirror apt already uses for the suite's main component: the only one this machine may reach.
mirror=$(apt-get indextargets --format '$(RELEASE) $(COMPONENT) $(REPO_URI)' 'Identifier: Packages' \
  | awk -v suite="$suite" '$1 == suite && $2 == "main" { print $3; exit }')
[ -n "$mirror" ] || die "apt's sources name no '$suite main' repository: add Debian 12's to /etc/apt/sources.list(.d) and run apt-get update"

work=$(mktemp -d "${TMPDIR:-/tmp}/k9p-userland.XXXXXX")
root="$work/root"
cleanup() {
  # A failed debootstrap can leave /proc and /sys mounted in the target; never delete through them.
  { grep -o " $work/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

echo "guest-userland.sh: debootstrap $config from $mirror (about a minute)"
start=$SECONDS
if ! debootstrap --variant=minbase --include="$packages" --keyring="$keyring" "$suite" "$root" "$mirror" \
    > "$work/debootstrap.out" 2>&1; then
  echo "guest-userland.sh: debootstrap failed; its last output:" >&2
  tail -n 20 "$work/debootstrap.out" >&2
  [ -f "$root/debootstrap/debootstrap.log" ] && { echo "and its log:" >&2; tail -n 20 "$root/debootstrap/debootstrap.log" >&2; }
  die "could not install the Debian userland"
fi
echo "guest-userland.sh: debootstrap took $((SECONDS - start)) s"

# Nothing in the guest reads documentation or translations, and apt never runs there.
rm -rf "$root"/usr/share/{doc,man,info,locale}/* "$root"/usr/share/vim/vim*/{doc,lang,spell,tutor} \
  "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/log/*

for tool in "${tools[@]}"; do
  [ -x "$root/usr/bin/$tool" ] || die "the userland lacks /usr/bin/$tool"
done
versions=$(chroot "$root" /bin/sh -c 'vim --version | head -n 1 && python3 --version && jq --version') \
  || die "the userland's vim, python3 or jq do not start in a chroot"

# Sorted, so that the same packages give the same archive.
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --quiet) > "$work/userland.cpio" \
  || die "cpio could not pack $root"

mkdir -p "$guest_dir"
rm -f "$marker"
mv "$work/userland.cpio" "$guest_dir/userland.cpio"
printf '%s\n%s\n' "$config" "$versions" > "$marker"
echo "guest-userland.sh: prepared $guest_dir/userland.cpio ($(du -m "$guest_dir/userland.cpio" | cut -f1) MB, unpacked $(du -sm "$root" | cut -f1) MB): $(echo "$versions" | tr '\n' ';')"
