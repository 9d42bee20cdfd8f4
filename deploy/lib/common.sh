# shellcheck shell=bash
# How each step of deploy/install.sh runs: shown, done unless --dry-run, and changes to
# the machine as a whole skipped under --prefix. Sourced by install.sh.

die() {
    printf 'install.sh: error: %s\n' "$*" >&2
    exit 2
}

quote() {
    local out
    printf -v out '%q ' "$@"
    printf '%s' "${out% }"
}

say() {
    printf '==> %s\n' "$*"
}

# A change under the install root: done (and shown), or only shown with --dry-run.
run() {
    printf '+ %s\n' "$(quote "$@")"
    ((DRY_RUN)) || "$@"
}

# A change to the machine as a whole (packages, users, services): skipped under --prefix.
system() {
    if [[ -n $PREFIX ]]; then
        printf 'skipped (--prefix): %s\n' "$(quote "$@")"
    elif ((DRY_RUN)); then
        printf 'would run: %s\n' "$(quote "$@")"
    else
        printf '+ %s\n' "$(quote "$@")"
        "$@"
    fi
}

# install_file SRC DEST MODE [OWNER]: copy unless DEST already holds the same bytes;
# a DEST that differs is kept as DEST.bak.
install_file() {
    local src=$1 dest=$2 mode=$3 owner=${4:-}
    if [[ -f $dest ]] && cmp -s -- "$src" "$dest"; then
        run chmod "$mode" "$dest"
    else
        if [[ -f $dest ]]; then
            run cp -p -- "$dest" "$dest.bak"
        fi
        run install -m "$mode" -- "$src" "$dest"
    fi
    if [[ -n $owner ]]; then
        system chown "$owner" "$dest"
    fi
}

# install_text DEST MODE TEXT: install_file for generated text.
install_text() {
    local dest=$1 mode=$2 text=$3 tmp
    tmp=$(mktemp)
    printf '%s' "$text" >"$tmp"
    install_file "$tmp" "$dest" "$mode"
    rm -f -- "$tmp"
}

make_dir() {  # make_dir DIR MODE [OWNER]
    run install -d -m "$2" -- "$1"
    if [[ -n ${3:-} ]]; then
        system chown "$3" "$1"
    fi
}

# toml_strings FILE KEY...: top-level strings of a TOML file, one a line ("" when absent).
toml_strings() {
    python3 - "$@" <<'PY'
import sys
import tomllib

path, keys = sys.argv[1], sys.argv[2:]
try:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
except (OSError, tomllib.TOMLDecodeError) as error:
    sys.exit(f"install.sh: error: {path}: {error}")
for key in keys:
    value = data.get(key, "")
    print(value if isinstance(value, str) and "\n" not in value else "")
PY
}
