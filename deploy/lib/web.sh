# shellcheck shell=bash
# The web role: andon web (andon-web.service) from the web client's provisioned bundle,
# with HTTPS from the deploy's certificates and nothing anonymous. Sourced by install.sh.
#
# Beside web.toml in the bundle: the people file, the session key and each wall
# screen's <name>.token, under the names web.toml gives them. --tls-cert/--tls-key go
# where web.toml's tls_cert and tls_key point.

# web_settings FILE: people, secret_file, tls_cert, tls_key and the kiosk tokens of a
# web file, one a line; refused when it would show a page without a sign-in.
web_settings() {
    python3 - "$1" <<'PY'
import re
import sys
import tomllib

path = sys.argv[1]
try:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
except (OSError, tomllib.TOMLDecodeError) as error:
    sys.exit(f"install.sh: error: {path}: {error}")
if data.get("view_without_sign_in", False) is not False:
    sys.exit(f"install.sh: error: {path}: view_without_sign_in: expected false (no anonymous access)")
for key in ("people", "secret_file", "tls_cert", "tls_key"):
    value = data.get(key)
    if not isinstance(value, str) or not value or "\n" in value:
        sys.exit(f"install.sh: error: {path}: {key}: expected a file name (the web role needs it)")
    print(value)
tokens = data.get("kiosk_tokens", [])
if not isinstance(tokens, list) or not all(
    isinstance(t, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", t) for t in tokens
):
    sys.exit(f"install.sh: error: {path}: kiosk_tokens: expected a list of wall screen names")
print(" ".join(tokens))
PY
}

# web_path NAME: where a file web.toml names lies once installed (relative: beside it).
web_path() {
    if [[ $1 == /* ]]; then
        printf '%s%s' "$ROOT" "$1"
    else
        printf '%s/web/%s' "$ETC_DIR" "$1"
    fi
}

# web_source NAME: the bundle's copy of a file web.toml names (looked up by its name).
web_source() {
    local file
    file=$(dirname "$CONFIG")/$(basename "$1")
    [[ -f $file ]] || die "$CONFIG names $1: put $(basename "$1") beside it before installing"
    printf '%s' "$file"
}

check_web() {
    [[ -n $TLS_CERT && -n $TLS_KEY ]] ||
        die "the web role needs --tls-cert FILE and --tls-key FILE (the deploy's certificate for this host)"
    [[ -f $TLS_CERT ]] || die "no certificate $TLS_CERT"
    [[ -f $TLS_KEY ]] || die "no private key $TLS_KEY"
    command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"
    local public
    public=$(openssl x509 -in "$TLS_CERT" -noout -pubkey 2>/dev/null) || die "$TLS_CERT: not a PEM certificate"
    [[ $public == "$(openssl pkey -in "$TLS_KEY" -pubout 2>/dev/null)" ]] ||
        die "$TLS_KEY is not the private key of $TLS_CERT"
    local settings
    settings=$(web_settings "$CONFIG") || exit 2
    { read -r WEB_PEOPLE; read -r WEB_SECRET; read -r WEB_CERT; read -r WEB_KEY; read -r WEB_TOKENS; } <<<"$settings"
    web_source "$WEB_PEOPLE" >/dev/null
    web_source "$WEB_SECRET" >/dev/null
    local token
    for token in $WEB_TOKENS; do
        [[ -f $(dirname "$CONFIG")/$token.token ]] ||
            die "$CONFIG names the wall screen $token: put $token.token beside it before installing"
    done
}

install_web() {
    local dir=$ETC_DIR/web people secret cert key token
    install_config "$dir" web.toml
    people=$(web_path "$WEB_PEOPLE")
    secret=$(web_path "$WEB_SECRET")
    cert=$(web_path "$WEB_CERT")
    key=$(web_path "$WEB_KEY")
    make_dir "$(dirname "$people")" 0750 "root:$SERVICE_USER"
    install_file "$(web_source "$WEB_PEOPLE")" "$people" 0640 "root:$SERVICE_USER"
    make_dir "$(dirname "$secret")" 0750 "root:$SERVICE_USER"
    install_file "$(web_source "$WEB_SECRET")" "$secret" 0640 "root:$SERVICE_USER"
    for token in $WEB_TOKENS; do
        install_file "$(dirname "$CONFIG")/$token.token" "$(dirname "$people")/$token.token" 0640 "root:$SERVICE_USER"
    done
    say "TLS: $cert and $key"
    make_dir "$(dirname "$cert")" 0750 "root:$SERVICE_USER"
    install_file "$TLS_CERT" "$cert" 0644 root:root
    make_dir "$(dirname "$key")" 0750 "root:$SERVICE_USER"
    install_file "$TLS_KEY" "$key" 0640 "root:$SERVICE_USER"
    UNITS+=(andon-web.service)
}
