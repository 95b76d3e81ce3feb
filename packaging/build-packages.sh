#!/bin/sh
# Builds the collector's packages from the Maven build:
#   target/lustre-collector-VERSION-1.noarch.rpm   (rpmbuild; on Debian: apt-get install rpm)
#   target/lustre-collector_VERSION_all.deb        (dpkg-deb)
#   target/lustre-collector-VERSION.tar.gz          (tar; for systems without rpm or dpkg: install.sh)
# Usage: packaging/build-packages.sh [OUTDIR]   (default target/; runs `mvn package` first unless
# SKIP_MVN=1 and target/lustre-collector.jar exists). FORMATS="rpm deb tar" (the default) chooses
# which are built. A tool missing: that package is skipped with a message, and the exit code is 1
# at the end.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$(mkdir -p "${1:-target}" && cd "${1:-target}" && pwd)
if [ "${SKIP_MVN:-0}" != 1 ] || [ ! -f target/lustre-collector.jar ]; then
    mvn -B -q package -DskipTests
fi
JAR=$ROOT/target/lustre-collector.jar
WAR=$ROOT/target/lustre-collector.war
VERSION=$(java -jar "$JAR" --version | sed -n 's/^lustre-collector \([^ ]*\).*/\1/p')
[ -n "$VERSION" ] || { echo "build-packages: cannot read the version from $JAR" >&2; exit 1; }
# A Maven -SNAPSHOT sorts before the release in both package managers as ~SNAPSHOT. PKG_VERSION
# overrides (the ITs build a later version to test an upgrade).
PKG_VERSION=${PKG_VERSION:-$(echo "$VERSION" | tr "-" "~")}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lustre-collector-pkg.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FORMATS=${FORMATS:-rpm deb tar}
status=0

wants() {
    case " $FORMATS " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# The file tree both packages install, in $1.
stage() {
    d=$1
    install -D -m 0644 "$JAR" "$d/usr/share/lustre-collector/lustre-collector.jar"
    install -D -m 0644 "$WAR" "$d/usr/share/lustre-collector/lustre-collector.war"
    for f in lustre-collector.xml server-connectors.xml lustre-collector-httpd.conf; do
        install -D -m 0644 "tomcat/$f" "$d/usr/share/lustre-collector/tomcat/$f"
    done
    install -D -m 0644 README.md "$d/usr/share/doc/lustre-collector/README.md"
    install -D -m 0640 conf/config "$d/etc/lustre-collector/config"
    install -D -m 0644 conf/lustre-collector.service "$d/usr/lib/systemd/system/lustre-collector.service"
    install -D -m 0755 conf/lustre-collector.init "$d/etc/init.d/lustre-collector"
}

if ! wants rpm; then
    :
elif command -v rpmbuild >/dev/null 2>&1; then
    top=$WORK/rpm
    mkdir -p "$top/BUILD" "$top/RPMS" "$top/SOURCES" "$top/SPECS" "$top/SRPMS"
    stage "$top/stage"
    rpmbuild -bb --quiet --define "_topdir $top" --define "stage $top/stage" \
        --define "pkg_version $PKG_VERSION" packaging/lustre-collector.spec
    cp "$top"/RPMS/noarch/lustre-collector-"$PKG_VERSION"-1.noarch.rpm "$OUT"/
    echo "built $OUT/lustre-collector-$PKG_VERSION-1.noarch.rpm"
else
    echo "build-packages: rpmbuild not found (Debian: apt-get install rpm): no RPM" >&2
    status=1
fi

if ! wants deb; then
    :
elif command -v dpkg-deb >/dev/null 2>&1; then
    d=$WORK/deb
    stage "$d"
    mkdir -p "$d/DEBIAN"
    size=$(du -sk --exclude=DEBIAN "$d" | cut -f1)
    sed -e "s/@VERSION@/$PKG_VERSION/" -e "s/@SIZE@/$size/" packaging/deb/control > "$d/DEBIAN/control"
    install -m 0644 packaging/deb/conffiles "$d/DEBIAN/conffiles"
    for s in preinst postinst prerm postrm; do
        install -m 0755 "packaging/deb/$s" "$d/DEBIAN/$s"
    done
    dpkg-deb --root-owner-group -Zgzip --build "$d" "$OUT/lustre-collector_${PKG_VERSION}_all.deb" >/dev/null
    echo "built $OUT/lustre-collector_${PKG_VERSION}_all.deb"
else
    echo "build-packages: dpkg-deb not found: no .deb" >&2
    status=1
fi
# The tarball: the same files in one folder, with install.sh to put them where the packages do
# (or under a prefix). Named after the Maven version: no package manager sorts it.
if wants tar; then
    base=lustre-collector-$VERSION
    t=$WORK/tar/$base
    install -d "$t/conf" "$t/tomcat"
    install -m 0644 "$JAR" "$WAR" README.md "$t/"
    install -m 0644 conf/config conf/lustre-collector.service "$t/conf/"
    install -m 0755 conf/lustre-collector.init "$t/conf/"
    for f in lustre-collector.xml server-connectors.xml lustre-collector-httpd.conf; do
        install -m 0644 "tomcat/$f" "$t/tomcat/"
    done
    install -m 0755 packaging/tarball/install.sh "$t/install.sh"
    tar -C "$WORK/tar" --owner=0 --group=0 --numeric-owner -czf "$OUT/$base.tar.gz" "$base"
    echo "built $OUT/$base.tar.gz"
fi
exit $status
