# Every model as JSON on the CDNOW sample. Numbers are cut to 6 significant digits (3 for
# standard errors); iterations, grad_norm and stop, which depend on the optimiser and the
# platform, are masked. Published: BG/NBD r 0.2426 alpha 4.414 a 0.7929 b 2.426
# LL -9582.43; Pareto/NBD r 0.5533 alpha 10.58 s 0.6062 beta 11.67; holdout 1882 actual,
# ~1653 (BG/NBD) and ~1665 (Pareto/NBD) predicted.
"$ROUSE" fit -q ../../data/cdnow_sample/transactions.csv --calibration-end 1997-09-30 \
  --model all --json >"$OUT/fit.json" || exit
awk -F': ' '
  /"se": \{/ { se = 1 }
  /\}/ { se = 0 }
  NF == 2 && $2 ~ /^-?[0-9]/ {
    c = sub(/,$/, "", $2) ? "," : ""
    if ($1 ~ /"(iterations|grad_norm)"/) v = "~"
    else v = sprintf(se ? "%.3g" : "%.6g", $2)
    print $1 ": " v c
    next
  }
  $1 ~ /"stop"/ { c = sub(/,$/, "", $2) ? "," : ""; print $1 ": ~" c; next }
  { print }' "$OUT/fit.json"
