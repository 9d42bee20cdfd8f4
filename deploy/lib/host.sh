# shellcheck shell=bash
# What every andon host gets: systemd units, udev rules for scanners, journald limits,
# time sync; then the role's services enabled and (re)started. Sourced by install.sh.

install_host_files() {
    local unit
    say "systemd units in $UNIT_DIR"
    make_dir "$UNIT_DIR" 0755
    for unit in "$DEPLOY_DIR"/systemd/*.service; do
        install_file "$unit" "$UNIT_DIR/$(basename "$unit")" 0644
    done

    say "udev rules for scanners"
    make_dir "$UDEV_DIR" 0755
    install_file "$DEPLOY_DIR/udev/99-andon-scanners.rules" "$UDEV_DIR/99-andon-scanners.rules" 0644
    system udevadm control --reload
    system udevadm trigger --action=add --subsystem-match=tty --subsystem-match=input

    say "journald: persistent, capped"
    make_dir "$JOURNALD_DIR" 0755
    install_file "$DEPLOY_DIR/journald/andon.conf" "$JOURNALD_DIR/andon.conf" 0644
    system systemctl restart systemd-journald
}

install_time_sync() {
    if ((${#NTP_SERVERS[@]})); then
        say "time sync from ${NTP_SERVERS[*]}"
        if command -v chronyd >/dev/null 2>&1; then
            printf 'note: chrony is installed; add "server %s iburst" to /etc/chrony/conf.d/andon.conf\n' "${NTP_SERVERS[0]}"
        else
            make_dir "$TIMESYNCD_DIR" 0755
            install_text "$TIMESYNCD_DIR/andon.conf" 0644 "# The plant's time servers (deploy/install.sh --ntp). The Pi has no battery clock.
[Time]
NTP=${NTP_SERVERS[*]}
"
            system systemctl enable systemd-timesyncd.service
            system systemctl restart systemd-timesyncd.service
        fi
    fi
    system timedatectl set-ntp true
}

start_services() {
    local unit
    system systemctl daemon-reload
    for unit in "${UNITS[@]}"; do
        system systemctl enable "$unit"
        if ((!NO_START)); then
            system systemctl restart "$unit"
        fi
    done

    say "done"
    if ((${#UNITS[@]})); then
        printf 'services: %s\n' "${UNITS[*]}"
    fi
    if has_role station; then
        printf 'check the device:  sudo -u %s /opt/andon/venv/bin/andon doctor --config /etc/andon/%s/station.toml\n' \
            "$SERVICE_USER" "$STATION_NAME"
        printf 'follow the logs:   journalctl -u andon-station@%s -f\n' "$STATION_NAME"
    fi
}
