# The two commands of the README, plus the benchmark.
.PHONY: up test bench

up:
	./scripts/up.sh

test:
	./scripts/test.sh

bench:
	./scripts/bench.sh
