# Sourced by ./k9p, scripts/test and .ci/run: exports JAVA_HOME pointing at a JDK >= 25
# (the FUSE front end binds libfuse3 through the FFM API, which is final in 22; the project builds for 25).
# Order: $JAVA_HOME, then the JDKs this project's machines are known to carry, then any under /usr/lib/jvm.

k9p_java_major() {
  # Prints the feature version of the JDK at $1 (17, 21, 25, ...), or nothing if it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

k9p_find_java() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 \
                   /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    major=$(k9p_java_major "$candidate") || continue
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      # Maven's bundled Guava uses sun.misc.Unsafe; JDK 24+ warns about it on every build.
      export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
      return 0
    fi
  done
  echo "k9p: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "k9p: install one (for example: apt-get install openjdk-25-jdk-headless from trixie, or Temurin 25) or set JAVA_HOME." >&2
  return 1
}
