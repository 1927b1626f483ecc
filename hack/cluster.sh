#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, built offline: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler, and a node of kubelet, kube-proxy and containerd (runc, the CNI
# bridge). Pods reach the API server through the `kubernetes` Service with their ServiceAccount token, as on any
# cluster. Everything listens on loopback or on the node's bridge address, never beyond this machine.
#
#   hack/cluster.sh up                 start it (a stale one is taken down first); prints the kubeconfig's path
#   hack/cluster.sh down               stop it and remove every process, mount, interface, iptables rule, cgroup
#                                      and sysctl change it made; safe to run at any time, also twice
#   hack/cluster.sh load ARCHIVE...    import image archives (hack/image.sh archive) into the node's runtime
#   hack/cluster.sh restart NAME...    kill components (SIGKILL, a crash) and start them again on the same data
#                                      (etcd, kube-apiserver, ...), CLUSTER_DOWN_SECONDS apart
#   hack/cluster.sh pause NAME...      freeze components (SIGSTOP): they keep their connections but answer nothing,
#                                      as a hung API server or etcd does; `resume NAME...` (SIGCONT) ends it
#   hack/cluster.sh signal SIG NS POD  send SIG (KILL, STOP, CONT, ...) to the processes of the pod's first
#                                      container from the node: a crash (KILL; the kubelet restarts the container)
#                                      or a hang (STOP), which no kubectl command gives (delete --force still
#                                      sends SIGTERM first)
#   hack/cluster.sh pids NS POD        print the host PIDs of the processes of the pod's first container
#   hack/cluster.sh pid NAME           print the PID of a component (etcd, kube-apiserver, ...), for measurements
#   hack/cluster.sh kubeconfig         print the kubeconfig's path
#   hack/cluster.sh check              say what this machine lacks for a node, exit 1 if anything
#
# Environment: LEADERDEMO_CLUSTER_DIR (state, default /var/lib/leaderdemo-cluster), LEADERDEMO_CLUSTER_LOGS
# (default target/cluster-logs in the project), CLUSTER_WITHOUT (components to leave out, e.g.
# "kube-controller-manager" for measurements its writes would blur).
set -euo pipefail

project=$(cd "$(dirname "$0")/.." && pwd)
dir=${LEADERDEMO_CLUSTER_DIR:-/var/lib/leaderdemo-cluster}
logs=${LEADERDEMO_CLUSTER_LOGS:-$project/target/cluster-logs}
without=" ${CLUSTER_WITHOUT:-} "

node_name=leaderdemo-node
bridge=leaderdemo0
node_ip=10.244.0.1
pod_cidr=10.244.0.0/24
service_cidr=10.96.0.0/16
kubernetes_service_ip=10.96.0.1
apiserver_port=6443
pause_image=localhost/leaderdemo/pause:1.0
# kubelet and kube-proxy change these; down puts back what up found
sysctls=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet)
components=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

bin_dir() { "$project/hack/controlplane.sh" --dir; }

# --- what the machine must have -------------------------------------------------------------------------------

check() {
  local missing=()
  [ "$(uname -s)" = Linux ] || missing+=("Linux (this is $(uname -s)): a node runs containers with Linux namespaces and cgroups")
  [ "$(id -u)" -eq 0 ] || missing+=("root: the node mounts filesystems, creates network interfaces and iptables rules (run as root, e.g. sudo)")
  if [ "$(uname -s)" = Linux ]; then
    [ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ] ||
      missing+=("cgroup v1 hierarchies (memory, pids, ...) at /sys/fs/cgroup: this local node is made for cgroup v1 machines and does not support a cgroup v2 host yet")
    grep -qw overlay /proc/filesystems 2>/dev/null || missing+=("the overlay filesystem (kernel option CONFIG_OVERLAY_FS, or: modprobe overlay)")
    [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] ||
      missing+=("bridge netfilter (kernel option CONFIG_BRIDGE_NETFILTER, or: modprobe br_netfilter): Services need it on the pod bridge")
    [ -e /proc/self/ns/net ] || missing+=("network namespaces (CONFIG_NET_NS)")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'error: this machine cannot run the local Kubernetes node. Missing:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    return 1
  fi
}

# --- certificates and kubeconfigs ----------------------------------------------------------------------------

cert() { # name subject [extensions]
  local name=$1 subject=$2 ext=${3:-}
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/pki/$name.key" -subj "$subject" \
    -out "$dir/pki/$name.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n%s\n' "$ext" >"$dir/pki/$name.ext"
  openssl x509 -req -in "$dir/pki/$name.csr" -CA "$dir/pki/ca.crt" -CAkey "$dir/pki/ca.key" -CAcreateserial \
    -days 30 -sha256 -extfile "$dir/pki/$name.ext" -out "$dir/pki/$name.crt" 2>/dev/null
  rm -f "$dir/pki/$name.csr" "$dir/pki/$name.ext"
}

kubeconfig_for() { # name cert
  cat >"$dir/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: leaderdemo
  cluster:
    server: https://$node_ip:$apiserver_port
    certificate-authority: $dir/pki/ca.crt
users:
- name: $2
  user:
    client-certificate: $dir/pki/$2.crt
    client-key: $dir/pki/$2.key
contexts:
- name: leaderdemo
  context: {cluster: leaderdemo, user: $2, namespace: default}
current-context: leaderdemo
EOF
}

pki() {
  mkdir -p "$dir/pki"
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$dir/pki/ca.key" -subj "/CN=leaderdemo-local-ca" \
    -days 30 -sha256 -out "$dir/pki/ca.crt" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" "extendedKeyUsage=serverAuth
subjectAltName=IP:$node_ip,IP:$kubernetes_service_ip,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=kubernetes-admin" "extendedKeyUsage=clientAuth"
  cert kubelet "/O=system:nodes/CN=system:node:$node_name" "extendedKeyUsage=clientAuth"
  cert kube-proxy "/CN=system:kube-proxy" "extendedKeyUsage=clientAuth"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
  openssl genrsa -out "$dir/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2>/dev/null
  kubeconfig_for admin admin
  kubeconfig_for kubelet kubelet
  kubeconfig_for kube-proxy kube-proxy
}

# --- processes ---------------------------------------------------------------------------------------------

start() { # name command...
  local name=$1
  shift
  # a session of its own, so that a Ctrl-C in the caller's terminal reaches only the caller, which stops us
  setsid "$@" >>"$logs/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/pids/$name"
}

alive() { [ -f "$dir/pids/$1" ] && kill -0 "$(cat "$dir/pids/$1")" 2>/dev/null; }

stop() { # [-KILL] names...: TERM (or KILL) to all, then KILL to those still running after 10 s
  local name pids=() pid i running signal=TERM
  [ "${1:-}" != -KILL ] || { signal=KILL; shift; }
  for name in "$@"; do
    [ -f "$dir/pids/$name" ] || continue
    pid=$(cat "$dir/pids/$name")
    kill -"$signal" "$pid" 2>/dev/null && pids+=("$pid")
    kill -CONT "$pid" 2>/dev/null || true # a paused component takes its TERM only once resumed
    rm -f "$dir/pids/$name"
  done
  for i in $(seq 100); do
    running=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ $running -eq 1 ] || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

wait_for() { # what seconds command...: polls until the command succeeds; fails naming the log
  local what=$1 seconds=$2 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      die "$what not ready after ${seconds}s; logs in $logs"
    fi
    sleep 0.2
  done
}

kubectl_admin() { "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" "$@"; }

start_etcd() {
  start etcd "$bin/etcd" --name leaderdemo --data-dir "$dir/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster leaderdemo=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --unsafe-no-fsync --log-level warn
  wait_for etcd 60 curl -sf http://127.0.0.1:2381/health
}

start_kube-apiserver() {
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --bind-address "$node_ip" --advertise-address "$node_ip" --secure-port "$apiserver_port" \
    --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" \
    --kubelet-client-certificate "$dir/pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$dir/pki/apiserver-kubelet-client.key" --kubelet-preferred-address-types InternalIP \
    --service-cluster-ip-range "$service_cidr" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --profiling=false --v=1
  wait_for kube-apiserver 120 kubectl_admin get --raw /readyz
}

start_kube-controller-manager() {
  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$dir/admin.kubeconfig" \
    --leader-elect=false --controllers '*' --use-service-account-credentials=false \
    --service-account-private-key-file "$dir/pki/sa.key" --root-ca-file "$dir/pki/ca.crt" \
    --bind-address 127.0.0.1 --concurrent-gc-syncs 5 --profiling=false --v=1
}

start_kube-scheduler() {
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$dir/admin.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --profiling=false --v=1
}

containerd_config() {
  mkdir -p "$dir/containerd" "$dir/cni/net.d"
  cat >"$dir/containerd/config.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
[grpc]
  address = "$dir/containerd/containerd.sock"
[ttrpc]
  address = "$dir/containerd/containerd.sock.ttrpc"
[debug]
  address = "$dir/containerd/debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  stream_server_address = "127.0.0.1"
  # root here has no CAP_SYS_RESOURCE, so runc must not lower a process's oom_score_adj
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$dir/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
EOF
  cat >"$dir/cni/net.d/10-leaderdemo.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "leaderdemo",
  "plugins": [
    {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": true, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$dir/cni/ipam", "ranges": [[{"subnet": "$pod_cidr", "gateway": "$node_ip"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
EOF
}

start_containerd() {
  start containerd containerd --config "$dir/containerd/config.toml"
  wait_for containerd 60 ctr_node version
}

ctr_node() { ctr --address "$dir/containerd/containerd.sock" -n k8s.io "$@"; }

start_kubelet() {
  mkdir -p "$dir/kubelet"
  cat >"$dir/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
# only clients with a certificate of this cluster's CA (the API server's) reach pods through the kubelet
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $dir/pki/ca.crt}
authorization: {mode: AlwaysAllow}
containerRuntimeEndpoint: unix://$dir/containerd/containerd.sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
rotateCertificates: false
serverTLSBootstrap: false
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
nodeStatusUpdateFrequency: 4s
podLogsDir: $dir/kubelet/pod-logs
EOF
  start kubelet "$bin/kubelet" --config "$dir/kubelet/config.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
    --hostname-override "$node_name" --node-ip "$node_ip" --root-dir "$dir/kubelet/root" \
    --cert-dir "$dir/kubelet/pki" --v=1
}

start_kube-proxy() {
  cat >"$dir/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $dir/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $pod_cidr
hostnameOverride: $node_name
bindAddress: 127.0.0.1
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
iptables: {localhostNodePorts: false}
# 0 leaves the conntrack sysctls as they are
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start kube-proxy "$bin/kube-proxy" --config "$dir/kube-proxy.yaml" --v=1
}

enabled() { [[ "$without" != *" $1 "* ]]; }

# --- up -------------------------------------------------------------------------------------------------------

up() {
  check
  "$project/hack/packages.sh"
  bin=$("$project/hack/controlplane.sh" | tail -n 1)
  "$project/hack/image.sh" pause
  [ ! -e "$dir" ] || { log "a cluster from an earlier run is there: taking it down first"; down; }
  mkdir -p "$dir/pids" "$logs"
  rm -f "$logs"/*.log
  trap 'rc=$?; trap "" INT TERM; if [ $rc -ne 0 ]; then log "start failed: taking down what started (logs in $logs)"; down; fi' EXIT
  trap 'exit 130' INT TERM
  local began=$SECONDS name value
  # containerd 1.6 keeps its shims' sockets and FIFOs under /run/containerd whatever its state dir is, the CNI
  # library caches results under /var/lib/cni, and the kubelet links container logs from /var/log/containers:
  # removed on down unless they were there before
  for name in /run/containerd /var/lib/cni /var/log/containers; do
    [ -e "$name" ] || echo "$name" >>"$dir/remove-on-down"
  done
  for name in "${sysctls[@]}"; do
    value=$(sysctl -n "$name" 2>/dev/null) && printf '%s=%s\n' "$name" "$value" >>"$dir/sysctl.saved"
  done
  sysctl -q -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
  # the bridge exists before the first pod, because the API server listens on the node's address on it
  ip link add "$bridge" type bridge
  ip addr add "$node_ip/${pod_cidr#*/}" dev "$bridge"
  ip link set "$bridge" up
  pki
  containerd_config
  for name in "${components[@]}"; do
    enabled "$name" || continue
    log "starting $name"
    "start_$name"
  done
  "$project/hack/image.sh" archive "$pause_image" "$dir/pause.tar" >/dev/null
  ctr_node images import "$dir/pause.tar" >/dev/null
  rm -f "$dir/pause.tar"
  if enabled kubelet; then
    wait_for "node $node_name" 120 kubectl_admin wait --for=condition=Ready "node/$node_name" --timeout=2s
  fi
  if enabled kube-proxy; then
    wait_for "kube-proxy's rules for the kubernetes Service" 60 \
      sh -c "iptables -t nat -S KUBE-SERVICES | grep -q -- '-d $kubernetes_service_ip/32'"
  fi
  if enabled kube-controller-manager; then
    wait_for "the default ServiceAccount" 60 kubectl_admin get serviceaccount default
    wait_for "kube-root-ca.crt" 60 kubectl_admin get configmap kube-root-ca.crt
  fi
  trap - EXIT INT TERM
  cp "$dir/admin.kubeconfig" "$logs/kubeconfig"
  log "cluster up in $((SECONDS - began))s: export KUBECONFIG=$dir/admin.kubeconfig"
  echo "$dir/admin.kubeconfig"
}

# --- down -----------------------------------------------------------------------------------------------------

kill_cgroup_tree() { # every process in the kubepods cgroups, until none is left
  local i procs
  for i in $(seq 50); do
    procs=$({ find /sys/fs/cgroup/*/kubepods* -name cgroup.procs -exec cat {} + 2>/dev/null || true; } | sort -u)
    [ -n "$procs" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $procs 2>/dev/null || true
    sleep 0.1
  done
  log "warning: processes left in the kubepods cgroups: $procs"
}

remove_cgroups() {
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    [ -d "$hierarchy/kubepods" ] || [ -d "$hierarchy/kubepods.slice" ] || continue
    find "$hierarchy"kubepods* -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

remove_iptables_rules() { # every KUBE-* and CNI-* chain, and every rule that jumps to one
  local cmd table rule chain
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    for table in filter nat mangle raw; do
      "$cmd"-save -t "$table" 2>/dev/null | { grep -E -- '^-A .*(KUBE|CNI)-' || true; } |
        while read -r rule; do
          # shellcheck disable=SC2086
          eval "$cmd -t $table ${rule/-A /-D }" 2>/dev/null || true
        done
      for chain in $("$cmd"-save -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
        "$cmd" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$cmd"-save -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
        "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

down() ( # a subshell: its set +e and traps end with it
  local name mnt began=$SECONDS
  # every step runs whatever the one before it did, and a second Ctrl-C does not cut the cleanup short
  set +e
  trap '' INT TERM HUP
  [ -e "$dir" ] || { remove_leftovers_outside; return 0; }
  stop kubelet kube-proxy kube-scheduler kube-controller-manager
  kill_cgroup_tree
  stop containerd
  # shims outlive containerd; they belong to this cluster when they name its socket
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $dir/containerd/containerd.sock" 2>/dev/null || true
  # nothing is left to serve: a graceful API server shutdown would only wait for watches to drain
  stop -KILL kube-apiserver etcd
  # deepest first: rootfs overlays, sandbox shm, network namespaces, pod volumes
  for mnt in $(awk -v d="$dir" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || log "warning: cannot unmount $mnt"
  done
  remove_leftovers_outside
  find /var/log/containers -maxdepth 1 -lname "$dir/*" -delete 2>/dev/null || true
  if [ -f "$dir/sysctl.saved" ]; then
    sysctl -q -p "$dir/sysctl.saved" >/dev/null 2>&1 || log "warning: could not restore every sysctl from $dir/sysctl.saved"
  fi
  if [ -f "$dir/remove-on-down" ]; then
    xargs rm -rf <"$dir/remove-on-down"
  fi
  rm -rf "$dir"
  log "cluster down in $((SECONDS - began))s"
)

remove_leftovers_outside() { # what lives outside the state dir: the bridge, iptables rules, cgroups
  local link
  for link in $(ip -o link show master "$bridge" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
  remove_iptables_rules
  remove_cgroups
}

# --- the rest ------------------------------------------------------------------------------------------------

load() {
  [ -S "$dir/containerd/containerd.sock" ] || die "no cluster is up (hack/cluster.sh up)"
  local archive
  for archive in "$@"; do
    ctr_node images import "$archive" >/dev/null
  done
}

restart() {
  [ -d "$dir/pids" ] || die "no cluster is up (hack/cluster.sh up)"
  bin=$(bin_dir)
  local name
  for name in "$@"; do
    [[ " ${components[*]} " == *" $name "* ]] || die "unknown component $name (one of: ${components[*]})"
  done
  stop -KILL "$@"
  sleep "${CLUSTER_DOWN_SECONDS:-0}" # the outage being simulated
  for name in "$@"; do "start_$name"; done
}

pause_resume() { # STOP|CONT names...
  local signal=$1 name
  shift
  [ -d "$dir/pids" ] || die "no cluster is up (hack/cluster.sh up)"
  for name in "$@"; do
    [[ " ${components[*]} " == *" $name "* ]] || die "unknown component $name (one of: ${components[*]})"
    alive "$name" || die "$name is not running"
    kill -"$signal" "$(cat "$dir/pids/$name")"
  done
}

container_pids() { # namespace pod: the processes of the pod's first container, from its cgroup
  bin=$(bin_dir)
  local uid id procs
  uid=$(kubectl_admin -n "$1" get pod "$2" -o 'jsonpath={.metadata.uid}')
  id=$(kubectl_admin -n "$1" get pod "$2" -o 'jsonpath={.status.containerStatuses[0].containerID}')
  id=${id#*://}
  [ -n "$id" ] || die "pod $1/$2 has no container"
  procs=$(cat /sys/fs/cgroup/pids/kubepods*/pod"$uid"/"$id"/cgroup.procs \
    /sys/fs/cgroup/pids/kubepods*/*/pod"$uid"/"$id"/cgroup.procs 2>/dev/null || true)
  [ -n "$procs" ] || die "no processes found for container $id of pod $1/$2"
  echo $procs
}

component_pid() { # name
  [[ " ${components[*]} " == *" $1 "* ]] || die "unknown component $1 (one of: ${components[*]})"
  alive "$1" || die "$1 is not running"
  cat "$dir/pids/$1"
}

signal() { # signal namespace pod
  [ $# -eq 3 ] || die "usage: hack/cluster.sh signal SIGNAL NAMESPACE POD"
  local procs
  procs=$(container_pids "$2" "$3")
  # shellcheck disable=SC2086
  kill -"$1" $procs
  echo "sent SIG$1 to $(echo $procs | wc -w) process(es) of pod $2/$3" >&2
}

# one at a time: the tests' shutdown hook and the Makefile may both take the cluster down after a Ctrl-C
case "${1:-}" in
  up | down | load | restart)
    [ "$(id -u)" -eq 0 ] || { check; exit 1; }
    exec 9>"/run/lock/leaderdemo-cluster.lock"
    flock 9 ;;
esac

case "${1:-}" in
  up) up ;;
  down) down ;;
  load) shift; load "$@" ;;
  restart) shift; restart "$@" ;;
  signal) shift; signal "$@" ;;
  pause) shift; pause_resume STOP "$@" ;;
  resume) shift; pause_resume CONT "$@" ;;
  pids) shift; [ $# -eq 2 ] || die "usage: hack/cluster.sh pids NAMESPACE POD"; container_pids "$@" ;;
  pid) shift; [ $# -eq 1 ] || die "usage: hack/cluster.sh pid NAME"; component_pid "$1" ;;
  kubeconfig) echo "$dir/admin.kubeconfig" ;;
  check) check ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
