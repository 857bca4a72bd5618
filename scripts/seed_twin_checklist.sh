#!/usr/bin/env bash
# The demo cohort as a twin of the seed study, across seeds: for each seed, generate the synthetic
# cohort and run the demo's study on it (release build), then print every check of
# radsurv_study::seed_study::checklist (ok / FAIL), how many hold per seed, and the total. The
# run fails when fewer than three quarters of all checks hold.
#
# usage: scripts/seed_twin_checklist.sh [seed ...]     (default: seeds 1 to 10)
# The default seed's own check (every item must hold) is
#   cargo test --release -p radsurv-study --test seed_study_twin -- --ignored default_seed --nocapture
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${*:-1 2 3 4 5 6 7 8 9 10}"
RADSURV_TWIN_SEEDS="$seeds" nice -n 10 cargo test --release -p radsurv-study \
    --test seed_study_twin -- --ignored --nocapture seeds_1_to_10_or_the_chosen_ones
