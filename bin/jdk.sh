# Sourced by Flywheel's scripts: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is new enough, then Temurin 25, then any JDK under /usr/lib/jvm.
# The JDK's feature version, from its `release` file when it has one (starting java to ask costs a fifth of
# a second, on every start of the server); else from the JVM itself.
flywheel_java_major() {
  local version
  if [ -f "$1/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
    if [ -n "$version" ]; then echo "$version"; return; fi
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
flywheel_find_jdk() {
  local c major
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    major=$(flywheel_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(flywheel_find_jdk); then
  echo "flywheel: no JDK 21 or newer found (set JAVA_HOME, or install Temurin 25)" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
