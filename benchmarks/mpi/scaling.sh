#!/usr/bin/env bash
# Distributed-training benchmark on Fashion-MNIST (README "Distributed training"): prints
#  1. the allreduce share of training time at np 2 on all 60 000 training images (goal < 5 %), timed after a barrier
#     (TORCHLOGISTIC_MPI_SPLIT_WAIT=1) so that waiting for the slower rank is reported apart, and
#  2. a weak-scaling table: ROWS rows per rank (default 15 000), ranks 1, 2, 4, seconds per iteration.
# Every run: softmax, L-BFGS, a fixed number of iterations (--max-iter, unreachable --tol), --threads 1 per rank.
# Usage: benchmarks/mpi/scaling.sh [ROWS] [ITERATIONS]   (needs mpirun: apt-get install openmpi-bin)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-15000}
iterations=${2:-30}
export OMPI_MCA_mpi_yield_when_idle=1
dotnet build src/TorchLogistic.Cli -c Release -p:TorchLogisticLocalPack=false -v q -nologo >/dev/null
cli=src/TorchLogistic.Cli/bin/Release/net10.0/torchlogistic.dll
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
run() { # ranks data out
  timeout 900 mpirun --timeout 880 --allow-run-as-root --oversubscribe -np "$1" dotnet "$cli" train --distributed --data "$2" \
    --model softmax --solver lbfgs --max-iter "$iterations" --tol 1e-300 --threads 1 --out "$work/$3" 2>/dev/null | grep '^distributed:'
}
# "distributed: R ranks (lib), T rows (…), I iterations, A allreduces taking X s of Y s training (Z %)"
field() { sed -E "s/.* ([0-9]+) iterations, ([0-9]+) allreduces taking ([0-9.]+) s of ([0-9.]+) s training \(([0-9.]+) %\).*$/\\$1/"; }
waited() { sed -E 's/.*waiting for the slowest rank ([0-9.]+) s.*/\1/'; }

echo "== allreduce share, Fashion-MNIST (60 000 x 784, 10 classes), np 2, $iterations iterations"
line=$(TORCHLOGISTIC_MPI_SPLIT_WAIT=1 run 2 fashion-mnist share)
echo "$line"
echo "allreduce share: $(echo "$line" | field 5) % of training time (goal < 5 %); waiting for the slower rank (a timed barrier before each allreduce): $(echo "$line" | waited) s of $(echo "$line" | field 4) s"
line=$(run 2 fashion-mnist share-plain)
echo "without the barriers (transfer and waiting together): $(echo "$line" | field 5) %"

echo
echo "== weak scaling: $rows rows per rank, $iterations iterations"
/usr/bin/python3 benchmarks/mpi/make_shards.py "$work/shards" "$rows" 4
printf '| ranks | rows | s/iteration | allreduce share |\n|---:|---:|---:|---:|\n'
for ranks in 1 2 4; do
  line=$(run "$ranks" "$work/shards/part-{rank}-images-idx3-ubyte" weak$ranks)
  its=$(echo "$line" | field 1); total=$(echo "$line" | field 4); share=$(echo "$line" | field 5)
  printf '| %d | %d | %.4f | %s %% |\n' "$ranks" $((ranks * rows)) "$(echo "$total / $its" | bc -l)" "$share"
done
