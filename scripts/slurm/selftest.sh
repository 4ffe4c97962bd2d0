#!/bin/bash
# selftest.sh: proves the Slurm job scripts (submit.sh, regress-shard.sbatch, merge.sbatch) on a
# real single-node Slurm cluster that it starts, as root, in a temporary directory.
#
# usage: scripts/slurm/selftest.sh [--bin PATH] [--no-install] [--keep]
#   --bin PATH     the pipebound executable (default $PIPEBOUND_BIN, else .build/release/pipebound)
#   --no-install   do not apt-get install slurm-wlm, munge and jq when they are missing
#   --keep         keep the temporary directory (the daemons are stopped all the same)
#
# What it does: installs slurm-wlm and munge if missing; starts munged with its own key, socket
# and pid file, then slurmctld and slurmd with a slurm.conf for this host (2 CPUs, ports of its
# own); runs Fixtures/suite.json once with plain `pipebound regress`, then in 4 shards through
# submit.sh, and checks that the merged results equal the single run's (ignoring the "seconds"
# fields, the only wall-clock ones); then runs a copy of part of the suite with one golden made
# better than achievable and checks that its shard exits 1, the merge job still merges that
# instance's result, reports the regression and exits 1. It prints the wall times of the single
# and the sharded run. The daemons it started are stopped by pid, and the temporary directory
# removed, on every exit (a trap), also on failure or interrupt.
#
# Exit status: 0 passed; 1 failed; 2 bad arguments; 77 skipped because the cluster cannot run
# here (not root, packages missing and not installable, a daemon did not start), with the reason
# on the last line of stderr as "SKIP: …". `make test-slurm` runs it with a release build;
# SlurmSelfTestTests runs it from `make test` with the debug build.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${root}" || exit 2

bin="${PIPEBOUND_BIN:-.build/release/pipebound}"
install=1
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) [ $# -ge 2 ] || { echo "selftest.sh: --bin needs a value" >&2; exit 2; }; bin="$2"; shift 2 ;;
        --bin=*) bin="${1#--bin=}"; shift ;;
        --no-install) install=0; shift ;;
        --keep) keep=1; shift ;;
        -h | --help) sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "selftest.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -x "${bin}" ] || { echo "selftest.sh: ${bin}: no pipebound executable (swift build -c release, or give --bin)" >&2; exit 2; }
bin="$(realpath "${bin}")"

suite="Fixtures/suite.json"
shards=4
timeout="${PIPEBOUND_SELFTEST_TIMEOUT:-1800}"   # seconds to wait for one submission's merge job

say() { echo "selftest: $*"; }
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# A Slurm job or user settings around us must not steer the test's own submissions.
while read -r name; do unset "${name}"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN)_|^PIPEBOUND_')

[ "$(id -u)" = 0 ] || skip "needs root to start slurmd and munged (run as root: sudo make test-slurm)"

# --- the temporary cluster, and its teardown -----------------------------------------------
tmp="$(mktemp -d /tmp/pipebound-slurm.XXXXXX)" || skip "cannot create a temporary directory in /tmp"
chmod 755 "${tmp}"
mkdir -p "${tmp}"/{munge,state,spool,log}
export SLURM_CONF="${tmp}/slurm.conf"
slurmctld_pid=""
slurmd_pid=""
munged_pid=""
child=""          # the long command running in the background (long_run)

# Stops one daemon we started: TERM, up to 10 s, then KILL.
stop() {
    local pid="$1"
    [ -n "${pid}" ] && kill -0 "${pid}" 2>/dev/null || return 0
    kill -TERM "${pid}" 2>/dev/null
    for _ in $(seq 100); do kill -0 "${pid}" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "${pid}" 2>/dev/null
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop "${child}"
    if [ -n "${slurmctld_pid}" ] && kill -0 "${slurmctld_pid}" 2>/dev/null; then
        # Jobs run under slurmstepd, which outlives slurmd: cancel them and let them end first.
        scancel --quiet --full --user=root 2>/dev/null
        for _ in $(seq 30); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
    fi
    stop "${slurmd_pid}"
    stop "${slurmctld_pid}"
    stop "${munged_pid}"
    if [ "${keep}" = 1 ]; then echo "selftest: kept ${tmp}" >&2; else rm -rf "${tmp}"; fi
    exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- packages -----------------------------------------------------------------------------
packages=(slurm-wlm munge jq)
needed() {
    local missing=() package
    for package in "${packages[@]}"; do dpkg -s "${package}" >/dev/null 2>&1 || missing+=("${package}"); done
    for tool in munged mungekey munge slurmctld slurmd sbatch scontrol sinfo squeue scancel jq; do
        command -v "${tool}" >/dev/null || { missing+=("(${tool})"); break; }
    done
    echo "${missing[*]}"
}
missing="$(needed)"
if [ -n "${missing}" ]; then
    [ "${install}" = 1 ] || skip "missing: ${missing} (run without --no-install, or: apt-get install ${packages[*]})"
    command -v apt-get >/dev/null || skip "missing: ${missing}, and no apt-get to install them"
    say "installing ${packages[*]} (missing: ${missing})"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            -o DPkg::Lock::Timeout=300 "${packages[@]}"; } >"${tmp}/log/apt.log" 2>&1; then
        skip "apt-get install ${packages[*]} failed: $(tail -n 1 "${tmp}/log/apt.log")"
    fi
    missing="$(needed)"
    [ -z "${missing}" ] || skip "still missing after apt-get install: ${missing}"
fi

say "temporary cluster in ${tmp}"
mungekey --create --keyfile="${tmp}/munge/munge.key" >/dev/null 2>&1 || skip "mungekey could not create a key"
chmod 600 "${tmp}/munge/munge.key"
socket="${tmp}/munge/munge.socket"
munged --force --key-file="${tmp}/munge/munge.key" --socket="${socket}" --pid-file="${tmp}/munge/munged.pid" \
    --log-file="${tmp}/log/munged.log" --seed-file="${tmp}/munge/munged.seed" >/dev/null 2>&1 \
    || skip "munged did not start: $(tail -n 1 "${tmp}/log/munged.log" 2>/dev/null)"
munged_pid="$(cat "${tmp}/munge/munged.pid")"
munge --socket="${socket}" --no-input | unmunge --socket="${socket}" >/dev/null 2>&1 \
    || skip "munged does not answer on ${socket}"

# A free TCP port of our own, so the test neither meets a real cluster nor another run of itself.
free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 30000))
        [ "${port}" != "${1:-}" ] || continue
        if command -v ss >/dev/null; then
            [ -z "$(ss -Hltn "sport = :${port}")" ] && { echo "${port}"; return 0; }
        elif ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
            echo "${port}"; return 0
        fi
    done
    return 1
}
host="$(hostname -s)"
cpus=$(( $(nproc) < 2 ? $(nproc) : 2 ))
memory=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
controller_port="$(free_port)" || skip "no free TCP port"
node_port="$(free_port "${controller_port}")" || skip "no free TCP port"
cat > "${SLURM_CONF}" <<EOF
# A one-node cluster for scripts/slurm/selftest.sh; everything lives in ${tmp}.
ClusterName=pipebound-selftest
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${controller_port}
SlurmdPort=${node_port}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${socket}
StateSaveLocation=${tmp}/state
SlurmdSpoolDir=${tmp}/spool
SlurmctldPidFile=${tmp}/slurmctld.pid
SlurmdPidFile=${tmp}/slurmd.pid
SlurmctldLogFile=${tmp}/log/slurmctld.log
SlurmdLogFile=${tmp}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
Waittime=0
MinJobAge=3600
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memory} State=UNKNOWN
PartitionName=selftest Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -i -f "${SLURM_CONF}" >"${tmp}/log/slurmctld.out" 2>&1 &
slurmctld_pid=$!
slurmd -D -f "${SLURM_CONF}" >"${tmp}/log/slurmd.out" 2>&1 &
slurmd_pid=$!
state=""
for _ in $(seq 120); do
    kill -0 "${slurmctld_pid}" 2>/dev/null || skip "slurmctld did not start: $(tail -n 1 "${tmp}/log/slurmctld.log" 2>/dev/null)"
    kill -0 "${slurmd_pid}" 2>/dev/null || skip "slurmd did not start: $(tail -n 1 "${tmp}/log/slurmd.log" 2>/dev/null)"
    state="$(sinfo -h -n "${host}" -o %t 2>/dev/null)"
    [ "${state}" = idle ] && break
    sleep 0.5
done
[ "${state}" = idle ] || skip "the node did not become idle within 60 s (state '${state}'): $(tail -n 1 "${tmp}/log/slurmd.log" 2>/dev/null)"
say "slurmctld (pid ${slurmctld_pid}, port ${controller_port}) and slurmd (pid ${slurmd_pid}, port ${node_port}) up; node ${host} idle with ${cpus} CPUs"

# --- helpers for the checks ----------------------------------------------------------------
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Runs a long command in the background and waits for it: bash runs a signal's trap only once
# the foreground command ends, but interrupts `wait` at once.
long_run() {
    "$@" &
    child=$!
    wait "${child}"
    local status=$?
    child=""
    return "${status}"
}

# Waits for a job to end; sets job_state and job_exit (for example FAILED and 1:0). Polls in this
# shell, not in a command substitution, so that a signal's trap runs within half a second.
wait_for_job() {
    local job="$1" line deadline=$((SECONDS + timeout))
    job_state="TIMEOUT"
    job_exit="-"
    while [ "${SECONDS}" -lt "${deadline}" ]; do
        line="$(scontrol show job -o "${job}" 2>/dev/null)"
        job_state="$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<< "${line}")"
        case "${job_state}" in
            PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | RESIZING | "")
                if grep -q "Reason=DependencyNeverSatisfied" <<< "${line}"; then
                    job_state="NEVER_SATISFIED"; return
                fi ;;
            *) job_exit="$(sed -n 's/.*ExitCode=\([0-9]*:[0-9]*\).*/\1/p' <<< "${line}")"; return ;;
        esac
        sleep 0.5
    done
    job_state="TIMEOUT"
}

# Submits a suite in $shards shards through submit.sh; sets array_job and merge_job.
submit() {
    local suite_file="$1" out="$2" ids
    ids="$(scripts/slurm/submit.sh "${suite_file}" "${shards}" --bin "${bin}" --out "${out}" \
        --cpus 1 --mem 1G --time 00:30:00 --merge-time 00:10:00 2>"${out}.submit.err")" \
        || fail "submit.sh exited $?: $(cat "${out}.submit.err")"
    array_job="$(sed -n 's/^array_job=//p' <<< "${ids}")"
    merge_job="$(sed -n 's/^merge_job=//p' <<< "${ids}")"
    [[ "${array_job}" =~ ^[0-9]+$ && "${merge_job}" =~ ^[0-9]+$ ]] || fail "submit.sh printed no job ids: ${ids}"
    say "submitted ${suite_file}: array job ${array_job}, merge job ${merge_job}"
}

# A results file without its wall-clock fields ("seconds") and without the shard label.
normalized() { jq -S 'walk(if type == "object" then del(.seconds) else . end) | del(.shard)' "$1"; }

# --- 1. the CI suite: one plain run against 4 shards on Slurm --------------------------------
say "single run: ${bin} regress ${suite} --jobs ${cpus}"
started=$(now)
long_run "${bin}" regress "${suite}" --jobs "${cpus}" --quiet --results "${tmp}/single.json" >"${tmp}/single.txt" 2>&1
single_status=$?
single_seconds=$(elapsed "${started}" "$(now)")
[ "${single_status}" = 0 ] || fail "the single run exited ${single_status} (the CI goldens must hold): $(tail -n 5 "${tmp}/single.txt")"
say "single run: ${single_seconds} s, $(tail -n 1 "${tmp}/single.txt")"

started=$(now)
submit "${suite}" "${tmp}/sharded"
wait_for_job "${merge_job}"
merge_state="${job_state}" merge_exit="${job_exit}"
sharded_seconds=$(elapsed "${started}" "$(now)")
# When the last shard wrote its status: the scheduler's wait for the dependent merge comes after.
last_shard=$(stat -c %.3Y "${tmp}"/sharded/shard-*.status 2>/dev/null | sort -n | tail -n 1)
shards_seconds=$(elapsed "${started}" "${last_shard:-${started}}")
say "sharded run: ${sharded_seconds} s from submission to the end of the merge job (${merge_state} ${merge_exit}); the last shard ended after ${shards_seconds} s"
[ "${merge_state} ${merge_exit}" = "COMPLETED 0:0" ] \
    || fail "merge job ${merge_job} ended ${merge_state} ${merge_exit}: $(tail -n 5 "${tmp}/sharded/merge.log" 2>/dev/null)"
for ((shard = 0; shard < shards; shard++)); do
    [ "$(cat "${tmp}/sharded/shard-${shard}.status" 2>/dev/null)" = 0 ] \
        || fail "shard ${shard} did not exit 0: $(tail -n 3 "${tmp}/sharded/shard-${shard}.log" 2>/dev/null)"
done
grep -q "all ${shards} shards clean: 0 regressions" "${tmp}/sharded/merge.log" \
    || fail "merge.log does not say the shards were clean: $(tail -n 3 "${tmp}/sharded/merge.log")"
if ! diff <(normalized "${tmp}/single.json") <(normalized "${tmp}/sharded/all.json") >"${tmp}/results.diff"; then
    fail "the merged results differ from the single run's: $(head -n 20 "${tmp}/results.diff")"
fi
diff <("${bin}" summary "${tmp}/single.json") "${tmp}/sharded/summary.txt" >/dev/null \
    || fail "the merge job's summary differs from the single run's"
instances=$(jq '.instances | length' "${tmp}/sharded/all.json")
say "merged results equal the single run's: ${instances} instances, same partitions, bounds and statuses"

# --- 2. a worsened golden: its shard fails, the merge keeps its result and reports it -------
worse="${tmp}/worse"
mkdir -p "${worse}/expected"
# Four instances, one per shard; zfnet512/k4 (index 1) gets a golden no run can meet.
jq --arg models "${root}/Fixtures/models" '.expected = "expected" | .instances = [
    {"model": ($models + "/zfnet512.json"), "stages": [2, 4]},
    {"model": ($models + "/alexnet.json"), "stages": [2, 4]}]' "${suite}" >"${worse}/suite.json"
for golden in zfnet512-k2 zfnet512-k4 alexnet-k2 alexnet-k4; do
    cp "Fixtures/expected/ci/${golden}.json" "${worse}/expected/"
done
# The same edit as RegressCommandTests.testWorsenedGoldenIsCaught: a partition 1 % better than
# any found and a value-search bound 1 % stronger than the one proved.
jq '.upper_bound.value *= 0.99 | .bounds |= map(if .method == "value-search" then .value *= 1.01 else . end)' \
    "Fixtures/expected/ci/zfnet512-k4.json" >"${worse}/expected/zfnet512-k4.json"

submit "${worse}/suite.json" "${worse}/results"
wait_for_job "${merge_job}"
merge_state="${job_state}" merge_exit="${job_exit}"
say "worsened golden: merge job ${merge_state} ${merge_exit}"
statuses=""
for ((shard = 0; shard < shards; shard++)); do
    statuses+="$(cat "${worse}/results/shard-${shard}.status" 2>/dev/null || echo -)"
done
[ "${statuses}" = 0100 ] || fail "shard exit statuses are ${statuses}, expected 0100 (only shard 1 holds zfnet512/k4)"
task="$(scontrol show job -o "${array_job}_1" 2>/dev/null)"
grep -q "JobState=FAILED .*ExitCode=1:0" <<< "${task}" || fail "array task ${array_job}_1 did not end FAILED with exit code 1: ${task}"
[ "${merge_state} ${merge_exit}" = "FAILED 1:0" ] \
    || fail "the merge job should report the regression with exit 1, ended ${merge_state} ${merge_exit}: $(tail -n 5 "${worse}/results/merge.log")"
log="${worse}/results/merge.log"
grep -q "^REGRESSIONS" "${log}" && grep -q "zfnet512/k4.*regression: partition worse" "${log}" \
    && grep -q "zfnet512/k4.*regression: bound weaker" "${log}" && grep -q "^shard 1: 2 regressions" "${log}" \
    || fail "merge.log does not report zfnet512/k4's two regressions: $(cat "${log}")"
[ "$(jq '.instances | length' "${worse}/results/all.json")" = 4 ] || fail "the merged results do not hold all 4 instances"
# The regressed instance's result in the merged table is exactly the single run's.
certificate='.instances[] | select(.certificate.graph.name == "zfnet512" and .certificate.stages == 4) | .certificate'
diff <(normalized "${worse}/results/all.json" | jq -S "${certificate}") <(normalized "${tmp}/single.json" | jq -S "${certificate}") \
    >"${tmp}/worse.diff" || fail "zfnet512/k4 in the merged table differs from the single run: $(head -n 20 "${tmp}/worse.diff")"
[ -n "$(normalized "${worse}/results/all.json" | jq "${certificate}")" ] || fail "zfnet512/k4 is missing from the merged table"
say "worsened golden: shard 1 exited 1, the merged table holds zfnet512/k4's result, the merge job reported 2 regressions and exited 1"

echo "PASS: ${instances} instances: single run ${single_seconds} s; ${shards} shards on Slurm ${sharded_seconds} s from submission to merged table (shards done after ${shards_seconds} s) on a ${cpus}-CPU node"
