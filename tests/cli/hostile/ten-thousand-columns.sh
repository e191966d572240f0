awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "c%d%s", i, (i < 10000 ? "," : "\n") }' > "$OUT/wide.csv" && "$ROUSE" summary "$OUT/wide.csv"
