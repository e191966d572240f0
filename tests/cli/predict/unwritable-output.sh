# the output cannot be created, or cannot be written (a full disk): exit 1
D=../../data/cdnow_sample/transactions.csv
echo '{"model": "bgnbd", "unit": "week", "params": {"r": 0.2426, "alpha": 4.414, "a": 0.7929, "b": 2.426}}' \
  >"$OUT/m.json"
"$ROUSE" predict -q "$D" -M "$OUT/m.json" -o "$OUT/no/such/dir/p.csv"
echo "exit $?"
"$ROUSE" predict -q "$D" -M "$OUT/m.json" >/dev/full
echo "exit $?"
"$ROUSE" predict -q "$D" -M "$OUT/m.json" -o /dev/full
