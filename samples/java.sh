# Sourced by the samples' run scripts: pick_java prints a Java 25+ binary (JAVA_HOME if it is
# 25 or later, else the java on the PATH if it is, else the lowest 25+ under /usr/lib/jvm).

# The feature release of a java binary, from its JDK's release file, else from 'java -version'.
java_feature() {
  local bin=$1 home version=""
  home=$(dirname -- "$(dirname -- "$(readlink -f -- "$bin")")")
  if [[ -r $home/release ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$bin" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+_-]*}"
}

usable() {
  local feature
  [[ -x $1 ]] || return 1
  feature=$(java_feature "$1")
  [[ $feature =~ ^[0-9]+$ ]] && ((feature >= 25))
}

pick_java() {
  local on_path candidate feature best="" best_feature=0
  if [[ -n ${JAVA_HOME:-} ]] && usable "$JAVA_HOME/bin/java"; then
    printf '%s\n' "$JAVA_HOME/bin/java"
    return
  fi
  if on_path=$(command -v java) && usable "$on_path"; then
    printf '%s\n' "$on_path"
    return
  fi
  # 25 is what the agent is checked against: prefer it to anything later.
  for candidate in /usr/lib/jvm/*/bin/java; do
    usable "$candidate" || continue
    feature=$(java_feature "$candidate")
    if [[ -z $best ]] || ((feature < best_feature)); then
      best=$candidate
      best_feature=$feature
    fi
  done
  [[ -n $best ]] || return 1
  printf '%s\n' "$best"
}
