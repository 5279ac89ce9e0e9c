# Sourced by ./chatgate and scripts/test: sets JAVA_HOME to a JDK >= 25, or stops with a clear message.
# Order: $JAVA_HOME if it is >= 25, else the newest /usr/lib/jvm/temurin-* (then any /usr/lib/jvm/*) that is.
chatgate_java_major() {
  # The JDK's release file names its version; asking java itself costs a JVM start (~0.2 s).
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n1)
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1 | cut -d. -f1)
  fi
  echo "$v"
}
chatgate_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/temurin-* 2>/dev/null | sort -rV) $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(chatgate_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "chatgate needs a JDK 25 or newer, and none was found." >&2
  echo "  Checked \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/." >&2
  echo "  Install one (for example Temurin 25 from https://adoptium.net) and set JAVA_HOME to it." >&2
  return 1
}
