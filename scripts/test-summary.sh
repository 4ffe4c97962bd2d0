#!/usr/bin/env bash
# Prints the closing line of a `swift test --parallel --xunit-output FILE` run: with --parallel,
# SwiftPM itself ends on Swift Testing's line (which counts no XCTest cases), so the XCTest
# counts are read from the xUnit file. Exits 1 when any case failed or none ran.
set -euo pipefail
file=${1:?usage: test-summary.sh XUNIT.xml}
header=$(grep -m1 '<testsuite ' "$file")
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$header"; }
tests=$(count tests); failures=$(count failures); errors=$(count errors)
failed=$((failures + errors))
echo "XCTest: $((tests - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$tests" -gt 0 ]
