# Sourced by ./coxswain and ./test: sets JAVA_HOME to a JDK 21+ (JAVA_HOME when new enough, else the newest under
# /usr/lib/jvm) or exits with a message that says what is missing.

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }

find_jdk() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  local best="" best_v=0
  for c in "${candidates[@]}"; do
    [[ -x "$c/bin/java" && -x "$c/bin/javac" ]] || continue
    local v; v="$(java_major "$c/bin/java")"
    if [[ -n "$v" && "$v" -ge 21 ]]; then
      if [[ "$c" == "${JAVA_HOME:-}" ]]; then echo "$c"; return; fi
      if [[ "$v" -gt "$best_v" ]]; then best="$c"; best_v="$v"; fi
    fi
  done
  [[ -n "$best" ]] && { echo "$best"; return; }
  echo "coxswain: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "  install one (e.g. Temurin 21+ or openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  return 1
}

JAVA_HOME="$(find_jdk)" || exit 1
export JAVA_HOME
# JDK 24+ warns when a library uses sun.misc.Unsafe (Maven's bundled Guava, Kafka's buffer unmapper) or loads native
# code (XGBoost, LZ4, PyTorch through DJL); these flags do not exist before 24. COXSWAIN_JDK_OPTS is for the app's JVM.
COXSWAIN_JDK_OPTS=""
if [[ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  COXSWAIN_JDK_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
fi
