#!/bin/sh
# A Kubernetes controller in POSIX shell, using nothing but k9p's files: it keeps a deployment's
# replica count equal to the number in a configmap key, and reacts to the namespace's watch file
# instead of polling.
#
# Usage: replicas-from-configmap.sh MOUNT NAMESPACE CONFIGMAP KEY DEPLOYMENT
# Example: replicas-from-configmap.sh /mnt/k8s kube-system dns-size replicas coredns
set -u
[ $# -eq 5 ] || { echo "usage: $0 MOUNT NAMESPACE CONFIGMAP KEY DEPLOYMENT" >&2; exit 2; }
mount=$1 namespace=$2 configmap=$3 key=$4 deployment=$5
dir=$mount/namespaces/$namespace
scale=$dir/deployments/$deployment/scale

reconcile() {
    want=$(cat "$dir/configmaps/$configmap/data/$key" 2>/dev/null) || return 0
    have=$(cat "$scale") || return 0
    case $want in
        ''|*[!0-9]*) echo "$configmap/$key is not a replica count: $want" >&2; return 0 ;;
    esac
    if [ "$want" != "$have" ]; then
        # A refused write fails here, and the deployment's error file says why.
        if echo "$want" > "$scale"; then
            echo "scaled $deployment from $have to $want"
        else
            cat "$dir/deployments/$deployment/error" >&2
        fi
    fi
}

# Open the watch first: it reports changes from the moment it is opened, so a change made while
# the first reconcile runs is not missed.
exec 3< "$dir/watch"
reconcile
# One line per change: EVENT TYPE NAMESPACE NAME RESOURCEVERSION, or DROPPED N after a gap.
while read -r event type _ name _ <&3; do
    case "$event $type $name" in
        "DROPPED "*|*" configmaps $configmap"|*" deployments $deployment") reconcile ;;
    esac
done
