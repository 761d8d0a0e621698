#!/usr/bin/env bash
# Builds the release archive grok-VERSION-linux-x86_64.tar.gz: a Java runtime made by jlink with only the modules
# grok uses, the two shaded jars, the launchers, bash completion scripts and INSTALL. Run by this module's pom at
# the package phase of `./mvnw -Prelease package`:
#   release.sh VERSION CLI_TARGET_DIR DIST_CLASSES_DIR OUT_DIR
# The JDK is the one the checkout's launchers pick (JAVA_HOME if >= 21, else the newest under /usr/lib/jvm).
# With a JDK 25+ it also makes the launchers' ahead-of-time caches (aot-train.sh; GROK_RELEASE_AOT=0 leaves them out).
set -euo pipefail
version=$1 cli_target=$2 dist_classes=$3 out=$4
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=../bin/lib/launch.bash
source "$here/../bin/lib/launch.bash"
grok_find_jdk
jdk=$GROK_JDK

name="grok-$version"
stage="$out/release/$name"
rm -rf "$out/release"
mkdir -p "$stage/lib" "$stage/completion" "$stage/systemd"

# Modules: what jdeps finds in the two jars, plus what they load by reflection or service lookup only:
#   jdk.crypto.ec   EC keys and ECDHE for the JDK's TLS (used when OpenSSL cannot load)
#   jdk.unsupported sun.misc.Unsafe for Netty and protobuf (jdeps sees it, listed to be sure)
#   jdk.management  com.sun.management beans behind Micrometer's process/JVM metrics
#   jdk.naming.dns  the JNDI DNS provider grpc-java's DNS resolver looks up for SRV/TXT records
modules=$(for jar in grok-server.jar grok.jar; do
  "$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release "$GROK_JAVA_MAJOR" "$cli_target/$jar"
done | tr ',' '\n')
modules=$(printf '%s\n' $modules jdk.crypto.ec jdk.unsupported jdk.management jdk.naming.dns | sort -u | paste -sd,)
echo "release: jlink $modules (JDK $GROK_JAVA_MAJOR at $jdk)" >&2
# --strip-java-debug-attributes, not --strip-debug: that also runs objcopy (binutils), absent from slim images.
"$jdk/bin/jlink" --add-modules "$modules" --output "$stage/runtime" --strip-java-debug-attributes --no-man-pages \
  --no-header-files --compress=zip-6 --generate-cds-archive

# The default CDS archive for heaps over 32 GiB is of no use with the launchers' -Xmx (15 MB).
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"

for jar in grok-server.jar grok.jar; do
  "$stage/runtime/bin/java" -cp "$dist_classes" dev.grok.dist.StripNatives "$cli_target/$jar" "$stage/lib/$jar"
done
cp -r "$here/src/release/." "$stage/"
cp "$here/../bin/lib/jvm.bash" "$stage/lib/jvm.bash" # the JVM flags, shared with the checkout's launchers
chmod 755 "$stage/bin/grok" "$stage/bin/grok-server"
cp "$here/../docs/systemd/"*.service "$stage/systemd/" 2>/dev/null || true

for program in grok grok-server; do
  jar=grok.jar
  [[ $program == grok-server ]] && jar=grok-server.jar
  "$stage/runtime/bin/java" -cp "$stage/lib/$jar:$dist_classes" dev.grok.dist.Completions "$program" \
    "$stage/completion/$program.bash"
done

sed -i "s/@VERSION@/$version/g" "$stage/INSTALL"
if [[ ${GROK_RELEASE_AOT:-1} == 1 ]]; then
  if ((GROK_JAVA_MAJOR >= 25)); then
    # JAVA_HOME: the build's JDK runs the training's load (the release's launchers use their own runtime).
    JAVA_HOME=$jdk "$here/aot-train.sh" "$stage/bin" "$stage/lib"
  else
    echo "release: JDK $GROK_JAVA_MAJOR makes no AOT cache (needs 25+); the launchers start without one" >&2
  fi
fi
archive="$out/$name-linux-x86_64.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$out/release" -czf "$archive" "$name"
echo "release: $archive ($(du -h "$archive" | cut -f1))" >&2
