#!/bin/sh
# Prints why each skipped test skipped, one line per test, after ctest has
# run the tests (CTestCustom.cmake names this script in CTEST_CUSTOM_POST_TEST).
# ctest lists the skipped tests but shows their output, where GoogleTest
# writes the reason, only with -V. The reason is in the log ctest keeps of the
# run, which this reads: while ctest runs this command the log of the run that
# is ending is still Testing/Temporary/LastTest.log.tmp (renamed to
# LastTest.log when ctest exits; `ctest -N` writes one without tests):
#
#     1/3 Test: Suite.Name
#     ...
#     /path/to/test.cpp:12: Skipped
#     the reason, on one or more lines
#     [  SKIPPED ] Suite.Name (0 ms)
#
# Usage: skip-reasons.sh BUILD_DIR/Testing/Temporary
log=$1/LastTest.log.tmp
[ -f "$log" ] || exit 0
awk '
    /^[0-9]+\/[0-9]+ Test: / {
        name = $0
        sub(/^[0-9]+\/[0-9]+ Test: /, "", name)
        sub(/  # GetParam\(\) = .*$/, "", name)   # value-parameterized tests
        reading = 0
        next
    }
    /: Skipped$/ { reading = 1; reason = ""; next }
    reading && /^\[  SKIPPED \] / {
        reading = 0
        if (reason == "") reason = "(no reason given)"
        lines[++count] = "  " name ": " reason
        next
    }
    reading { reason = reason (reason == "" ? "" : " ") $0 }
    END {
        if (count == 0) exit
        printf "Why %d test%s skipped:\n", count, count == 1 ? "" : "s"
        for (i = 1; i <= count; i++) print lines[i]
    }
' "$log"
