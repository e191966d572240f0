# errors inside the nested objects of the config file (docs/scoring.md, section 6): tiers
# with medium above high, an unknown key in lists, a tier outside 0 .. 100; each exit 1
D=../../data/cdnow_sample/transactions.csv
printf '{"tiers": {"high": 30, "medium": 60}}\n' >"$OUT/a.json"
printf '{"lists": {"budget": 5000, "budjet": 5000}}\n' >"$OUT/b.json"
printf '{"reactivation_tiers": {"high": 130}}\n' >"$OUT/c.json"
for f in a b c; do
  "$ROUSE" score "$D" -q -c "$OUT/$f.json" -o "$OUT/s.csv"
  echo "exit $?"
done
[ -e "$OUT/s.csv" ] && echo "scores written" || echo "no scores"
