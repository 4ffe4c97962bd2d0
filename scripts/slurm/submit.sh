#!/bin/bash
# submit.sh: runs a regression suite on Slurm as a job array of shards plus a dependent merge.
# See `scripts/slurm/submit.sh --help` and docs/suites.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
    cat <<'EOF'
usage: scripts/slurm/submit.sh [options] SUITE SHARDS

Submits `pipebound regress SUITE --shard I/SHARDS` as a Slurm job array (regress-shard.sbatch,
one array task per shard) and a merge job (merge.sbatch) that runs after all of them
(--dependency=afterany, so shards that found regressions are merged too), then prints the job ids:

    array_job=ID
    merge_job=ID

The merge job combines the shard results into OUT/all.json, prints the summary table and exits 1
when any shard found a regression or failed (the regression rows are in OUT/regressions.txt).
Build once on a file system every node sees (swift build -c release) before submitting.

options (each also settable by the environment variable shown; an option wins):
  --bin PATH         pipebound executable          PIPEBOUND_BIN        .build/release/pipebound
  --out DIR          results and logs directory    PIPEBOUND_OUT        slurm-results/SUITENAME-DATE
  --time T           time limit per shard          PIPEBOUND_SHARD_TIME 02:00:00
  --mem M            memory per shard              PIPEBOUND_SHARD_MEM  8G
  --cpus C           CPUs per shard (= --jobs)     PIPEBOUND_SHARD_CPUS 2
  --partition P      Slurm partition               PIPEBOUND_PARTITION  (the cluster's default)
  --merge-time T     time limit of the merge job   PIPEBOUND_MERGE_TIME 00:30:00
  --sbatch-args ARGS more sbatch options for both  PIPEBOUND_SBATCH_ARGS (e.g. "--account=X --qos=Y")
  -h, --help         this text

OUT receives shard-I.json (results), shard-I.status (regress's exit code), shard-I.report and
shard-I.log (what the shard printed), merge.log, all.json, summary.txt and regressions.txt.
Bad arguments print one line on stderr and exit 2; sbatch failures exit with sbatch's status.
EOF
}

fail() {
    echo "submit.sh: $*" >&2
    exit 2
}

bin="${PIPEBOUND_BIN:-.build/release/pipebound}"
out="${PIPEBOUND_OUT:-}"
shard_time="${PIPEBOUND_SHARD_TIME:-02:00:00}"
shard_mem="${PIPEBOUND_SHARD_MEM:-8G}"
shard_cpus="${PIPEBOUND_SHARD_CPUS:-2}"
partition="${PIPEBOUND_PARTITION:-}"
merge_time="${PIPEBOUND_MERGE_TIME:-00:30:00}"
extra="${PIPEBOUND_SBATCH_ARGS:-}"

positional=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help) usage; exit 0 ;;
        --bin | --out | --time | --mem | --cpus | --partition | --merge-time | --sbatch-args)
            [ $# -ge 2 ] || fail "option $1 needs a value"
            case "$1" in
                --bin) bin="$2" ;;
                --out) out="$2" ;;
                --time) shard_time="$2" ;;
                --mem) shard_mem="$2" ;;
                --cpus) shard_cpus="$2" ;;
                --partition) partition="$2" ;;
                --merge-time) merge_time="$2" ;;
                --sbatch-args) extra="$2" ;;
            esac
            shift 2 ;;
        --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
        -*) fail "unknown option $1 (see --help)" ;;
        *) positional+=("$1"); shift ;;
    esac
done
[ "${#positional[@]}" -eq 2 ] || fail "expected SUITE SHARDS, got ${#positional[@]} arguments (see --help)"
suite="${positional[0]}"
shards="${positional[1]}"

[ -f "${suite}" ] || fail "${suite}: no such suite file"
[[ "${shards}" =~ ^[1-9][0-9]*$ ]] || fail "SHARDS must be a positive integer, got '${shards}'"
[[ "${shard_cpus}" =~ ^[1-9][0-9]*$ ]] || fail "--cpus must be a positive integer, got '${shard_cpus}'"
[ -x "${bin}" ] || fail "${bin}: no pipebound executable there (build with 'swift build -c release' or give --bin)"
command -v sbatch >/dev/null || fail "sbatch not found: run this on a Slurm login node"

suite="$(realpath "${suite}")"
bin="$(realpath "${bin}")"
if [ -z "${out}" ]; then
    out="slurm-results/$(basename "${suite}" .json)-$(date +%Y%m%d-%H%M%S)"
fi
mkdir -p "${out}" || fail "${out}: cannot create the results directory"
out="$(realpath "${out}")"
if compgen -G "${out}/shard-*.json" >/dev/null; then
    fail "${out} already holds shard results: give a new --out"
fi

partition_args=()
[ -n "${partition}" ] && partition_args=(--partition="${partition}")
read -r -a extra_args <<< "${extra}"

# The job scripts read these; --export=ALL passes them even where SBATCH_EXPORT says otherwise.
export PIPEBOUND_BIN="${bin}" PIPEBOUND_SUITE="${suite}" PIPEBOUND_OUT="${out}" PIPEBOUND_SHARDS="${shards}"

array_job=$(sbatch --parsable --export=ALL "${partition_args[@]}" "${extra_args[@]}" \
    --array="0-$((shards - 1))" --cpus-per-task="${shard_cpus}" --mem="${shard_mem}" --time="${shard_time}" \
    --output="${out}/shard-%a.log" "${here}/regress-shard.sbatch")
array_job="${array_job%%;*}"   # --parsable prints "ID" or "ID;CLUSTER"
# Without its merge the array's results would sit unmerged: cancel it when the merge is refused.
if ! merge_job=$(sbatch --parsable --export=ALL "${partition_args[@]}" "${extra_args[@]}" \
    --dependency="afterany:${array_job}" --time="${merge_time}" \
    --output="${out}/merge.log" "${here}/merge.sbatch"); then
    scancel "${array_job}" || true
    echo "submit.sh: the merge job was refused; cancelled array job ${array_job}" >&2
    exit 1
fi
merge_job="${merge_job%%;*}"

echo "array_job=${array_job}"
echo "merge_job=${merge_job}"
echo "submitted ${shards} shards of ${suite}; results in ${out}; follow with: squeue -j ${array_job},${merge_job}" >&2
