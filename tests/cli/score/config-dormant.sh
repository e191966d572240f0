# a config that works: dormant_days 120 moves customers from active/at_risk to dormant;
# the command line overrides the file (--dormant-days 400 gives fewer dormant than the data default)
printf "{\"dormant_days\": 120}\n" > "$OUT/c.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -q -c "$OUT/c.json" -o "$OUT/a.csv"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -q -c "$OUT/c.json" --dormant-days 400 -o "$OUT/b.csv"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -q -o "$OUT/d.csv"
for f in a b d; do printf "%s: " $f; cut -d, -f2 "$OUT/$f.csv" | grep -c "^dormant$"; done
