# The editor matrix (io.k9p.testing.EditorMatrix): each editor and tool saves one edit of a configmap key
# (data/app.conf) and of a whole configmap (data.yaml), each on a configmap of its own, then values of
# the sizes that a FUSE write (128 KiB) or a 9P write (msize) splits are written whole, one too large is
# refused, and bytes that are not UTF-8 are copied in. Run with /bin/sh in the mount's root, with
#   NS    the namespace of the configmaps EditorMatrix.seed made
#   WORK  a directory of the caller's own, outside the mount, for the sources and tmux's files
# Each step prints "== NAME", then what the Java side checks: "status N" and the files the step left.
set -u
C=namespaces/$NS/configmaps
mkdir -p "$WORK"
step() { echo "== $1"; }
# Everything on the mount runs under a time limit, so that a hang fails its step rather than the run;
# killed if it ignores the TERM (a process in a 9P request wakes only to KILL).
limit() { timeout -k 5 120 "$@"; }
# What a step left in the directory of the file it saved, beside what was there before it.
leftovers() { # directory, listing before
  after=$(limit ls -A "$1")
  if [ "$after" = "$2" ]; then echo "no leftovers"; else echo "leftovers: $(echo "$after" | tr '\n' ' ')"; fi
}

# ---- the editors and tools, each given the file to save: level=info becomes level=debug
vim_edit() { # vim's options, then the file: its defaults (swap file, 4913 probe), as a user with no vimrc
  limit vim -Nu NONE -i NONE -es "$@" -c '%s/level=info/level=debug/' -c wq
}
# nano has no batch mode: it runs in a tmux pane, driven by keys, each sent once the screen asks for it.
screen_shows() { # text; waits up to 60 s for the pane to show it
  i=0
  while ! tmux -S "$WORK/tmux" capture-pane -p -t nano 2>/dev/null | grep -q -F "$1"; do
    i=$((i + 1)); [ $i -gt 600 ] && { echo "nano: the screen never showed '$1'"; return 1; }
    sleep 0.1
  done
}
nano_edit() {
  # The pane's command runs in the user's login shell, none (nologin) for a system user: sh it is.
  printf 'set -g default-terminal screen\nset -g default-shell /bin/sh\n' > "$WORK/tmux.conf"
  tmux -S "$WORK/tmux" -f "$WORK/tmux.conf" new-session -d -s nano -x 120 -y 40 \
    "nano \"$1\"; echo \$? > \"$WORK/nano.status\""
  screen_shows 'level=info' && tmux -S "$WORK/tmux" send-keys -t nano C-\\ &&
  screen_shows 'Search (to replace)' && tmux -S "$WORK/tmux" send-keys -t nano level=info Enter &&
  screen_shows 'Replace with' && tmux -S "$WORK/tmux" send-keys -t nano level=debug Enter &&
  screen_shows 'Replace this instance' && tmux -S "$WORK/tmux" send-keys -t nano A &&
  screen_shows 'Replaced 1 occurrence' && tmux -S "$WORK/tmux" send-keys -t nano C-s &&
  screen_shows 'Wrote' && tmux -S "$WORK/tmux" send-keys -t nano C-x
  i=0
  while tmux -S "$WORK/tmux" has-session -t nano 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 300 ] && { tmux -S "$WORK/tmux" kill-server; echo "nano did not exit"; return 1; }
    sleep 0.1
  done
  return "$(cat "$WORK/nano.status" 2>/dev/null || echo 1)"
}
ed_edit() { printf '%s\n' ',s/level=info/level=debug/' w q | limit ed -s "$1"; }
sed_edit() { limit sed -i 's/level=info/level=debug/' "$1"; }
perl_edit() { limit perl -pi -e 's/level=info/level=debug/' "$1"; }
# As programs save safely: a temporary file beside the target, renamed onto it.
python_edit() {
  limit python3 -c 'import os, sys, tempfile
path = sys.argv[1]
text = open(path).read().replace("level=info", "level=debug")
fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path))
os.write(fd, text.encode())
os.close(fd)
os.replace(temporary, path)' "$1"
}
cp_edit() { sed 's/level=info/level=debug/' "$1" > "$WORK/copy" && limit cp "$WORK/copy" "$1"; }
# kakoune writing a temporary file and renaming it onto the file (writemethod replace); a command that
# fails ends it with status 1 rather than leaving it waiting for keys.
kak_edit() {
  limit kak -n -ui dummy -e "try %{
    set global writemethod replace; exec '%slevel=info<ret>clevel=debug<esc>'; write; quit!
  } catch %{ echo -to-file /dev/stderr %val{error}; quit! 1 }" "$1"
}

# sh has no local variables: the functions' own are named so that the loop's stay as they are.
save() { # step (the configmap's name), file in the configmap's directory, editor function and options
  saved=$C/$1/$2
  step "$1"; shift 2
  saved_in=$(dirname "$saved")
  listed=$(limit ls -A "$saved_in")
  "$@" "$saved"; echo "status $?"
  leftovers "$saved_in" "$listed"
}
for target in key yaml; do
  if [ $target = key ]; then in_object=data/app.conf; else in_object=data.yaml; fi
  save vim-$target $in_object vim_edit
  save vim-backupcopy-yes-$target $in_object vim_edit -c 'set backupcopy=yes'
  save vim-backupcopy-no-$target $in_object vim_edit -c 'set backupcopy=no'
  save nano-$target $in_object nano_edit
  save ed-$target $in_object ed_edit
  save sed-$target $in_object sed_edit
  save perl-$target $in_object perl_edit
  save python-$target $in_object python_edit
  save cp-$target $in_object cp_edit
  save kak-$target $in_object kak_edit
done

# ---- a new object from a *.yaml that vim makes in the type directory: its probes and swap file make none
step vim-new-object
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made-by-vim\ndata:\n  made: by vim\n' > "$WORK/new.yaml"
listed=$(limit ls -A $C)
limit vim -Nu NONE -i NONE -es -c "read $WORK/new.yaml" -c wq $C/made-by-vim.yaml; echo "status $?"
echo "new: $(limit ls -A $C | grep -v -x -F "$listed" | tr '\n' ' ')"

# ---- whole values: the source is lines of 49 bytes, cut to one byte less than the size, and a newline
source_of() { # size: a file of that many bytes
  yes 'color: teal 0123456789abcdefghijklmnopqrstuvwxyz' | head -c $(($1 - 1)) > "$WORK/source.$1"
  echo >> "$WORK/source.$1"
}
for size in 131073 524289 1048576; do
  source_of $size
  step size-cp-$size; limit cp "$WORK/source.$size" $C/size-cp-$size/data/blob; echo "status $?"
  step size-dd-$size; limit dd if="$WORK/source.$size" of=$C/size-dd-$size/data/blob bs=4k 2>/dev/null; echo "status $?"
  step size-python-$size
  limit python3 -c 'import sys; open(sys.argv[2], "wb").write(open(sys.argv[1], "rb").read())' \
    "$WORK/source.$size" $C/size-python-$size/data/blob; echo "status $?"
  # The key holds the source with its first teal blue: vim saves the whole value back.
  step size-vim-$size; limit vim -Nu NONE -i NONE -es -c '1s/blue/teal/' -c wq $C/size-vim-$size/data/blob; echo "status $?"
done
step too-large
source_of 1048577
limit cp "$WORK/source.1048577" $C/too-large/data/blob; echo "status $?"
echo "error: $(limit cat $C/too-large/error)"

# ---- bytes that are not UTF-8: every byte value, copied onto a new key and read back
step binary
i=0
while [ $i -lt 256 ]; do printf "\\$(printf %03o $i)"; i=$((i + 1)); done > "$WORK/bytes"
limit cp "$WORK/bytes" $C/binary/data/bytes; echo "status $?"
limit cmp "$WORK/bytes" $C/binary/data/bytes && echo "read back identical"
