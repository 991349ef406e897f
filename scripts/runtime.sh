# Sourced by scripts/package and scripts/image: the jlink runtime that runs target/k9p.jar, with only
# the Java modules it needs. Needs a JDK 25 on the PATH (k9p_find_java, scripts/find-java.sh).
#
#   k9p_runtime PREFIX JAR DIR        jlink the runtime of JAR into DIR (replaced); PREFIX starts its messages
#   k9p_runtime_check PREFIX JAVA JAR WORK
#                                     JAVA runs JAR: --help, serve --memfs and demo must start (files in WORK)
# Both return non-zero, having said why, when a step fails.

# The modules the jar refers to, as jdeps finds them, without java.desktop: only Jackson's optional
# java.beans support refers to it (JavaBeansAnnotationsImpl, which Jackson loads inside a catch of
# Throwable), and it would bring AWT's native libraries, which make jpackage's package depend on
# X11 and ALSA libraries. java.logging, java.xml and java.transaction.xa come in as java.sql's.
#
# jdeps takes half a minute on two cores, so its answer is kept in target/runtime-modules with the
# jar's SHA-256 and the JDK's path and version, and used again (by the image after the package) while both match.
k9p_runtime() {
  local prefix=$1 jar=$2 dir=$3 cache=target/runtime-modules key found modules
  key="$(sha256sum "$jar" | cut -d' ' -f1) $JAVA_HOME $(sed -n 's/^JAVA_VERSION=//p' "$JAVA_HOME/release")"
  if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
    found=$(sed -n 2p "$cache")
    echo "$prefix: jdeps (as for the same jar before, $cache): $found" >&2
  else
    echo "$prefix: finding the modules $jar needs (jdeps)" >&2
    found=$(jdeps --print-module-deps --ignore-missing-deps --multi-release 25 "$jar") || return 1
    echo "$prefix: jdeps: $found" >&2
    printf '%s\n%s\n' "$key" "$found" > "$cache"
  fi
  modules=$(tr ',' '\n' <<<"$found" | grep -vx java.desktop | paste -sd, -)
  echo "$prefix: runtime modules: $modules" >&2
  rm -rf "$dir"
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$dir" || return 1
}

# Runs the jar on a runtime until it prints "k9p: serving"; anything on stderr fails the check.
k9p_runtime_starts() { # prefix, java, jar, work, name, k9p arguments...
  local prefix=$1 java=$2 jar=$3 work=$4 name=$5 out="$4/check.out" err="$4/check.err" pid i
  shift 5
  "$java" -jar "$jar" "$@" >"$out" 2>"$err" &
  pid=$!
  for i in $(seq 600); do
    grep -q '^k9p: serving' "$out" && break
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$out" "$err" >&2
      echo "$prefix: runtime check: $name exited before serving" >&2
      return 1
    fi
    sleep 0.1
  done
  kill "$pid"
  wait "$pid" || true
  grep -q '^k9p: serving' "$out" || { cat "$out" "$err" >&2; echo "$prefix: runtime check: $name did not serve within 60 s" >&2; return 1; }
  [ ! -s "$err" ] || { cat "$err" >&2; echo "$prefix: runtime check: $name wrote to stderr" >&2; return 1; }
  echo "$prefix: runtime check: $name: $(grep '^k9p: serving' "$out")" >&2
}

k9p_runtime_check() {
  local prefix=$1 java=$2 jar=$3 work=$4
  "$java" -jar "$jar" --help >"$work/check.out" \
    || { cat "$work/check.out" >&2; echo "$prefix: runtime check: --help failed" >&2; return 1; }
  grep -q '^Usage: k9p' "$work/check.out" || { echo "$prefix: runtime check: --help printed no usage" >&2; return 1; }
  k9p_runtime_starts "$prefix" "$java" "$jar" "$work" "serve --memfs" serve --memfs --listen 127.0.0.1:0 || return 1
  # The demo seeds its API server through fabric8's client (java.net.http) before it serves.
  k9p_runtime_starts "$prefix" "$java" "$jar" "$work" demo demo --listen 127.0.0.1:0 || return 1
  rm -f "$work/check.out" "$work/check.err"
}
