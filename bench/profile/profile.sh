#!/usr/bin/env bash
# bench/profile/profile.sh <published dir> <dll> <wrk script> <name>
# Starts a published server (publish it with -p:PublishReadyToRun=false: ReadyToRun frames do
# not resolve in the trace), drives it with bench/wrk/<script>.lua (20 s warm-up), and takes an
# 8 s dotnet-trace (sampled thread time, speedscope) under load into .local/profile/<name>.*;
# then bench/profile/layers.py .local/profile/<name>.speedscope.json splits the CPU-time
# samples by layer. Uses the bench cluster (bench/run starts it).
set -u
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$repo_root/.local/profile"
mkdir -p "$out"
dir=$1 dll=$2 script=$3 name=$4
# The bench cluster, with the Npgsql settings the benchmark gives both servers (the harness
# builds them with the service's own code; bench/run builds the harness).
db="$(dotnet "$repo_root/bench/Harness/bin/Release/net10.0/Harness.dll" --print-connection \
    "Host=127.0.0.1;Port=$(cat "$repo_root/.local/pg-bench.port");Username=postgres;Database=bench;SSL Mode=Disable")"
port=$((30000 + RANDOM % 5000))
cd "$dir"
ASPNETCORE_ENVIRONMENT=Production Auth__Enabled=false DATABASE_URL="$db" PORT=$port dotnet $dll > $out/$name.log 2>&1 &
pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done
export BENCH_WRK_DIR=$repo_root/bench/wrk BENCH_USERS=10000 BENCH_RUN_ID=w$RANDOM
timeout 30 wrk -t2 -c32 -d20s -s $repo_root/bench/wrk/$script.lua http://127.0.0.1:$port > /dev/null
export BENCH_RUN_ID=t$RANDOM
timeout 30 wrk -t2 -c32 -d12s -s $repo_root/bench/wrk/$script.lua http://127.0.0.1:$port > /dev/null &
w=$!
sleep 2
(cd "$repo_root" && timeout 60 dotnet tool run dotnet-trace collect -p $pid --profile dotnet-sampled-thread-time --duration 00:00:00:08 --format Speedscope -o $out/$name.nettrace > $out/$name.trace.log 2>&1)
wait $w
kill -TERM $pid; wait $pid
ls /tmp/prof | grep $name
