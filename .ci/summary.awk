# Sums the per-assembly result lines of `dotnet test` ("Passed!  - Failed: 0, Passed: 71, Skipped: 1, Total: 72, ...")
# and samples/run.sh's closing line into one closing line: N passed, N failed, N skipped.
/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
  gsub(",", "")
  for (i = 1; i < NF; i++) {
    if ($i == "Failed:") failed += $(i + 1)
    if ($i == "Passed:") passed += $(i + 1)
    if ($i == "Skipped:") skipped += $(i + 1)
  }
}
# samples/run.sh's closing line: "samples: 11 passed, 0 failed".
/^samples: [0-9]+ passed, [0-9]+ failed$/ { passed += $2; failed += $4 }
END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }
