#!/bin/sh
# Installs the Lustre trap collector from this tarball, for systems without rpm or dpkg.
#
#   ./install.sh [--create-user] [PREFIX]
#
# Without PREFIX the files go where the rpm and deb put them:
#   /usr/share/lustre-collector/        lustre-collector.jar, lustre-collector.war, tomcat/
#   /usr/share/doc/lustre-collector/    README.md
#   /etc/lustre-collector/config        kept when it exists (the shipped one is then config.new)
#   /usr/lib/systemd/system/lustre-collector.service
#   /etc/init.d/lustre-collector
#   /var/log/lustre-collector/
# and, run as root, the system user and group lustre-collector are created (as the packages do).
# With PREFIX everything goes under PREFIX instead (PREFIX/usr/share/..., PREFIX/etc/...), and the
# installed init script and unit are rewritten to use those paths, the config included (-f); the
# user is created only with --create-user. Nothing is started.
set -eu

NAME=lustre-collector
USER_NAME=lustre-collector
HERE=$(cd "$(dirname "$0")" && pwd)
create_user=
prefix=

usage() {
    echo "usage: $0 [--create-user] [PREFIX]" >&2
    exit 2
}

die() {
    echo "install.sh: $*" >&2
    exit 1
}

while [ $# -gt 0 ]; do
    case "$1" in
        --create-user) create_user=yes ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        -*) usage ;;
        *) [ -z "$prefix" ] || usage; prefix=$1 ;;
    esac
    shift
done

is_root() {
    [ "$(id -u)" = 0 ]
}

if [ -n "$prefix" ]; then
    # The prefix is written into the init script and unit by sed, and into the unit unquoted:
    # a plain path only.
    case "$prefix" in
        *[!A-Za-z0-9._/+-]*) die "PREFIX may hold only letters, digits and . _ / + -: '$prefix'" ;;
    esac
    mkdir -p "$prefix" || die "cannot create $prefix"
    prefix=$(cd "$prefix" && pwd)
    [ "$prefix" != / ] || prefix=
fi
if [ -z "$prefix" ] && ! is_root; then
    die "installing into / needs root (or give a PREFIX)"
fi
if [ -z "$prefix" ] && is_root; then
    create_user=yes
fi
if [ -n "$create_user" ] && ! is_root; then
    die "--create-user needs root"
fi

for f in lustre-collector.jar lustre-collector.war conf/config conf/lustre-collector.init \
        conf/lustre-collector.service tomcat/lustre-collector.xml tomcat/server-connectors.xml \
        tomcat/lustre-collector-httpd.conf README.md; do
    [ -f "$HERE/$f" ] || die "$HERE/$f is missing: not a complete lustre-collector tarball"
done

if [ -n "$create_user" ]; then
    # The dedicated system user the collector runs as (it refuses root), as the packages create it.
    nologin=/usr/sbin/nologin
    [ -x "$nologin" ] || nologin=/sbin/nologin
    getent group "$USER_NAME" >/dev/null || groupadd --system "$USER_NAME"
    getent passwd "$USER_NAME" >/dev/null || \
        useradd --system --gid "$USER_NAME" --home-dir /var/lib/lustre-collector --no-create-home \
            --shell "$nologin" --comment "Lustre trap collector" "$USER_NAME"
fi

P=$prefix
share=$P/usr/share/$NAME
install -d -m 0755 "$share" "$share/tomcat" "$P/usr/share/doc/$NAME" "$P/usr/lib/systemd/system" "$P/etc/init.d"
install -m 0644 "$HERE/lustre-collector.jar" "$HERE/lustre-collector.war" "$share/"
for f in lustre-collector.xml server-connectors.xml lustre-collector-httpd.conf; do
    install -m 0644 "$HERE/tomcat/$f" "$share/tomcat/$f"
done
install -m 0644 "$HERE/README.md" "$P/usr/share/doc/$NAME/README.md"

# Under a prefix the scripts must find the prefix's jar, config, log and pid folders.
relocate() {
    if [ -z "$P" ]; then
        cat "$1"
        return
    fi
    sed -e "s#/usr/share/$NAME/#$P/usr/share/$NAME/#g" \
        -e "s#/usr/share/doc/$NAME/#$P/usr/share/doc/$NAME/#g" \
        -e "s#/var/run/$NAME/#$P/var/run/$NAME/#g" \
        -e "s#/var/log/$NAME/#$P/var/log/$NAME/#g" \
        -e "s#/etc/default/#$P/etc/default/#g" \
        -e "s#/etc/sysconfig/#$P/etc/sysconfig/#g" \
        -e "s#Options: /etc/$NAME/config#Options: $P/etc/$NAME/config#" \
        -e "s# -d --pid-file # -f $P/etc/$NAME/config -d --pid-file #" \
        -e "s#^LogsDirectory=.*#ReadWritePaths=$P/var/log/$NAME#" "$1"
}
tmp=$(mktemp "${TMPDIR:-/tmp}/lustre-collector-install.XXXXXX")
trap 'rm -f "$tmp"' EXIT
relocate "$HERE/conf/lustre-collector.init" > "$tmp"
if [ -n "$P" ] && ! grep -q -- "-f $P/etc/$NAME/config -d" "$tmp"; then
    die "cannot point the init script at $P/etc/$NAME/config (conf/lustre-collector.init changed?)"
fi
install -m 0755 "$tmp" "$P/etc/init.d/$NAME"
relocate "$HERE/conf/lustre-collector.service" > "$tmp"
install -m 0644 "$tmp" "$P/usr/lib/systemd/system/$NAME.service"

# The config may hold paths of the site: readable by the collector's group only. An existing
# one is the administrator's: kept, with the shipped one beside it when they differ.
install -d -m 0750 "$P/etc/$NAME"
config=$P/etc/$NAME/config
if [ -e "$config" ]; then
    if cmp -s "$HERE/conf/config" "$config"; then
        rm -f "$config.new"
    else
        install -m 0640 "$HERE/conf/config" "$config.new"
        echo "kept $config; the shipped config is $config.new"
    fi
else
    install -m 0640 "$HERE/conf/config" "$config"
fi
install -d -m 0750 "$P/var/log/$NAME"

if getent group "$USER_NAME" >/dev/null 2>&1 && is_root; then
    chgrp "$USER_NAME" "$P/etc/$NAME" "$config"
    [ ! -e "$config.new" ] || chgrp "$USER_NAME" "$config.new"
    chown "$USER_NAME:$USER_NAME" "$P/var/log/$NAME"
fi
if [ -z "$P" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
fi

echo "installed lustre-collector in ${P:-/}"
echo "next: edit $config, then 'systemctl enable --now $NAME' or '$P/etc/init.d/$NAME start'"
