#!/usr/bin/env bash
# The topology of compose.yaml without Docker, for machines that have none: Redis, the simulator
# as its own process, three gateway replicas and nginx with deploy/compose/nginx.conf (service
# names replaced by loopback ports). Sends 30 requests over 5 clusters through nginx and prints
# the answers' statuses, the ACK calls (5 when the replicas share Redis) and each replica's share.
#
#   npm run build && deploy/compose/smoke-without-docker.sh
#
# Needs redis-server and nginx (NGINX_BIN=/path/to/nginx; Debian's 1.22 works, even extracted from
# its .deb with `apt-get download nginx && dpkg -x nginx_*.deb root`), curl and node.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Not NGINX: nginx itself reads that variable (inherited sockets).
NGINX_BIN=${NGINX_BIN:-nginx}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export SIMULATOR_ACCESS_KEY_ID=LTAIsmoke0001 SIMULATOR_ACCESS_KEY_SECRET=smoke-secret
redis-server --port 16379 --bind 127.0.0.1 --dir "$work" --save '' --appendonly no --requirepass smoke-pass \
  >"$work/redis.log" 2>&1 &
pids+=($!)
SIMULATOR_HOST=127.0.0.1 SIMULATOR_PORT=19000 SIMULATOR_CLUSTERS=20 SIMULATOR_LATENCY_MS=50 \
  node dist/simulator/main.js >"$work/simulator.log" 2>&1 &
pids+=($!)
for i in 1 2 3; do
  PORT=400$i HOST=127.0.0.1 ACK_SIMULATOR=0 ACK_ENDPOINT=127.0.0.1:19000 ACK_PROTOCOL=http \
    ALIBABA_CLOUD_ACCESS_KEY_ID=$SIMULATOR_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$SIMULATOR_ACCESS_KEY_SECRET \
    REDIS_URL=redis://:smoke-pass@127.0.0.1:16379/0 WARM_UP=false node dist/main.js >"$work/gateway-$i.log" 2>&1 &
  pids+=($!)
done
# As compose's depends_on: the balancer starts once every replica answers /health.
for i in 1 2 3; do
  for _ in $(seq 1 150); do curl -sf "localhost:400$i/health" >/dev/null && break; sleep 0.1; done
done
mkdir -p "$work/nginx/logs"
sed 's/server gateway-\([0-9]\):4000/server 127.0.0.1:400\1/; s/listen 8080;/listen 18080;/' \
  deploy/compose/nginx.conf >"$work/nginx/nginx.conf"
"$NGINX_BIN" -t -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log"
"$NGINX_BIN" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 50); do curl -sf localhost:18080/health >/dev/null && break; sleep 0.1; done
state() { curl -s localhost:19000/_simulator/state; }
ids=$(state | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).clusters.slice(0,5).map(c=>c.id).join(' ')))")
echo "answers through nginx:"
for id in $ids; do
  for _ in 1 2 3 4 5 6; do
    curl -s -o /dev/null -w '%{http_code}\n' -H 'content-type: application/json' \
      -d "{\"query\":\"{ nodePools(clusterId: \\\"$id\\\") { id name } }\"}" localhost:18080/graphql &
  done
done | sort | uniq -c
echo "ACK calls: $(state | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify(JSON.parse(s).stats.byAction)))")"
for i in 1 2 3; do
  served=$(curl -s "localhost:400$i/metrics" | awk '/^ack_gateway_graphql_requests_total/ {n += $NF} END {print n + 0}')
  up=$(curl -s "localhost:400$i/metrics" | awk '/^ack_gateway_redis_up/ {print $NF}')
  echo "replica $i: $served requests, ack_gateway_redis_up $up"
done
