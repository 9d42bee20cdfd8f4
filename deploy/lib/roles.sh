# shellcheck shell=bash
# Each role's configuration in /etc/andon/<dir>/ and the unit that runs it.
# Sourced by install.sh; UNITS collects the units to enable.

UNITS=()

# install_config DIR FILE_NAME: the role's file, the plant file beside it, and what an
# andon provision bundle holds next to it (mqtt.password, ca.crt, the role's secrets).
install_config() {
    local dir=$1 name=$2 source_dir
    source_dir=$(dirname "$CONFIG")
    say "configuration in $dir"
    make_dir "$dir" 0750 "root:$SERVICE_USER"
    install_file "$CONFIG" "$dir/$name" 0640 "root:$SERVICE_USER"
    if [[ -n $PLANT_FILE ]]; then
        install_file "$PLANT_FILE" "$dir/plant.toml" 0640 "root:$SERVICE_USER"
    fi
    if [[ -f $source_dir/mqtt.password ]]; then
        install_file "$source_dir/mqtt.password" "$dir/mqtt.password" 0600 "$SERVICE_USER:$SERVICE_USER"
    fi
    if [[ -f $source_dir/ca.crt ]]; then
        install_file "$source_dir/ca.crt" "$dir/ca.crt" 0644
    fi
    # The notifier's channel URLs (passwords): read by systemd as root, never by andon.
    if [[ $name == notify.toml && -f $source_dir/notify.env ]]; then
        install_file "$source_dir/notify.env" "$dir/notify.env" 0600 root:root
    fi
    # The historian's database URL and retention (read by systemd).
    if [[ $dir == "$ETC_DIR/historian" && -f $source_dir/historian.env ]]; then
        install_file "$source_dir/historian.env" "$dir/historian.env" 0600 root:root
    fi
}

install_roles() {
    if has_role station; then
        install_config "$ETC_DIR/$STATION_NAME" station.toml
        UNITS+=("andon-station@$STATION_NAME.service")
    fi
    if has_role board || has_role board-web; then
        install_config "$ETC_DIR/board" board.toml
        if has_role board; then UNITS+=(andon-board.service); fi
        if has_role board-web; then UNITS+=(andon-board-web.service); fi
    fi
    if has_role store; then
        install_config "$ETC_DIR/store" store.toml
        UNITS+=(andon-store.service)
    fi
    if has_role notify; then
        install_config "$ETC_DIR/notify" notify.toml
        UNITS+=(andon-notify.service)
    fi
    if has_role historian; then
        install_config "$ETC_DIR/historian" plant.toml
        UNITS+=(andon-historian.service)
    fi
    if has_role web; then
        install_web
    fi
}
