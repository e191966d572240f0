# rouse run with the master named in the config file ("master": a path relative to the
# config file's folder), CP932 with tab separators: customers 1 and 6 are lost in
# scores.csv and not on the prevention list (where 1 is without the master).
mkdir -p "$OUT/shop"
printf '\x89\xEF\x88\xF5ID\t\x91\xDE\x89\xEF\x83\x74\x83\x89\x83\x4F\r\n1\t1\r\n6\t1\r\n8\t0\r\n' \
  >"$OUT/shop/members.csv"
printf '{"master": "members.csv", "horizon": "180d"}\n' >"$OUT/shop/rouse.json"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv -j 2 -c "$OUT/shop/rouse.json" \
  --out "$OUT/run" 2>"$OUT/err" >/dev/null
echo "exit $?"
grep '^rouse: master' "$OUT/err"
awk -F, '$1 == "1" || $1 == "6" || $1 == "8" { print $1 "," $2 }' "$OUT/run/scores.csv"
echo "on the prevention list: $(grep -c -E '^"?(1|6)"?,' "$OUT/run/prevention.csv")"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv -j 2 -q --out "$OUT/plain" >/dev/null
echo "without the master: $(grep -c -E '^"?(1|6)"?,' "$OUT/plain/prevention.csv")"
