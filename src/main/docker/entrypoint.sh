#!/bin/sh
# Starts a Tributary broker in its container. With TRIBUTARY_BROKER_ID_FROM_ORDINAL=true (set by
# the Helm chart) the broker id is the StatefulSet pod's ordinal, the number after the last '-' of
# the host name, plus TRIBUTARY_BROKER_ID_OFFSET: pod tributary-2 is broker 2, and stays broker 2
# across restarts and rescheduling. Arguments are passed to the broker (--name=value settings).
set -eu

if [ "${TRIBUTARY_BROKER_ID_FROM_ORDINAL:-false}" = "true" ]; then
    host="${HOSTNAME:-$(hostname)}"
    ordinal="${host##*-}"
    case "$ordinal" in
        ''|*[!0-9]*)
            echo "tributary: cannot derive a broker id from host name '$host' (expected <name>-<ordinal>)" >&2
            exit 64
            ;;
    esac
    TRIBUTARY_BROKER_ID=$((ordinal + ${TRIBUTARY_BROKER_ID_OFFSET:-0}))
    export TRIBUTARY_BROKER_ID
    echo "tributary: broker id $TRIBUTARY_BROKER_ID from pod ordinal $ordinal"
fi

exec java ${JAVA_OPTS:-} org.springframework.boot.loader.launch.JarLauncher "$@"
