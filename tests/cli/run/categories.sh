# per-category dormancy thresholds: a shop of supplement buyers (every 10 days) and sofa
# buyers (every 150 days) with a category column. The sofa buyers, silent 36 to 96 days, are
# dormant by the shop's threshold but not by their category's; the overview lists both
# categories' thresholds and results.json carries them. With dormancy_by_category false in a
# config file the shop's threshold judges everybody.
awk 'BEGIN {
  print "customer_id,date,amount,category"
  end = mktime("2024 07 01 00 00 00")
  for (c = 0; c < 150; c++) {  # supplements: gaps of 5 to 15 days
    t = mktime("2024 01 01 12 00 00") + 86400 * (c % 40)
    for (k = 0; k < 12 + c % 9 && t < end; k++) {
      print "s" c "," strftime("%Y-%m-%d", t) "," 10 + c % 5 ",supplement"
      t += 86400 * (5 + (7 * c + 3 * k) % 11)
    }
  }
  for (c = 0; c < 60; c++) {   # sofas: gaps of 120 to 180 days, the last 36 to 96 days ago
    t = end - 86400 * (36 + c) - 12 * 3600
    for (k = 0; k < 2 + c % 3; k++) {
      print "f" c "," strftime("%Y-%m-%d", t) "," 900 + 10 * (c % 7) ",sofa"
      t -= 86400 * (120 + (13 * c + 7 * k) % 61)
    }
  }
  for (c = 0; c < 80; c++)     # one purchase each
    print "o" c "," strftime("%Y-%m-%d", mktime("2023 09 01 12 00 00") + 86400 * 3 * c) ",30,supplement"
}' > "$OUT/shop.csv"
"$ROUSE" run "$OUT/shop.csv" --as-of 2024-07-01 --out "$OUT/r" --no-report --lang en -q | sed -n '/^Churn/,/^Churn risk/p'
grep -A1 '"name"' "$OUT/r/results.json" | tr -d ' '
grep -c ',dormant,' "$OUT/r/scores.csv"
printf '{"dormancy_by_category": false}\n' > "$OUT/c.json"
"$ROUSE" run "$OUT/shop.csv" --as-of 2024-07-01 --out "$OUT/r2" --no-report --lang en -q -c "$OUT/c.json" | sed -n '/^Customers by state/,/^$/p'
# a floor for the categories' thresholds: the supplement buyers' 30 days are raised to 45,
# the sofa buyers' 180 stay; "shop" (the shop's 30 days) changes neither; the model line says
# why there was no validation
printf '{"category_min_dormant_days": 45}\n' > "$OUT/floor.json"
"$ROUSE" run "$OUT/shop.csv" --as-of 2024-07-01 --out "$OUT/r3" --no-report --lang en -q -c "$OUT/floor.json" | grep -E '^    (supplement|sofa)|^Model'
printf '{"category_min_dormant_days": "shop"}\n' > "$OUT/floor.json"
"$ROUSE" run "$OUT/shop.csv" --as-of 2024-07-01 --out "$OUT/r3" --no-report --lang en -q -c "$OUT/floor.json" | grep -E '^    (supplement|sofa)'
printf '{"category_min_dormant_days": "long"}\n' > "$OUT/bad.json"
"$ROUSE" run "$OUT/shop.csv" --as-of 2024-07-01 --out "$OUT/r4" -q -c "$OUT/bad.json"
echo "exit $?"
# the report's section 2 has the per-category table (HTML; the text between its heading and
# the next section), and the HTML still parses into its ten sections
"$ROUSE" report "$OUT/r" --lang en --no-pdf -q
. "$(dirname "$0")/../report/text.sh"
html_text "$OUT/r/report.html" | sed -n '/^Dormancy thresholds by product category$/,/^3\. Lifecycle$/p'
xmllint --html --xpath 'count(//section)' "$OUT/r/report.html" 2>/dev/null; echo
# the trees have the category mix among their features (results.json feature_gain), and
# without a category column they do not: a shop of two years where customers buy from one to
# three of four categories, each at their own pace, and some stop
awk 'BEGIN {
  srand(7)
  print "customer_id,date,amount,category"
  split("tea,coffee,snacks,gifts", cat, ",")
  t0 = mktime("2022 07 01 12 00 00"); end = mktime("2024 07 01 00 00 00")
  for (c = 0; c < 600; c++) {
    t = t0 + 86400 * int(rand() * 500); gap = 10 + int(rand() * 80)
    stop = t + 86400 * int(rand() * 900); k = 1 + int(rand() * 3)
    for (; t < end && t < stop; t += 86400 * int(gap * (0.5 + rand())))
      print "m" c "," strftime("%Y-%m-%d", t) "," 10 + int(rand() * 50) "," cat[1 + (c + int(rand() * k)) % 4]
  }
}' > "$OUT/mix.csv"
"$ROUSE" run "$OUT/mix.csv" --as-of 2024-07-01 --out "$OUT/g" --no-report --lang en -q --model gbm | sed -n '/^Model/p'
grep -o '"\(categories_bought\|main_category_share\|category_overdue_ratio\)"' "$OUT/g/results.json"
cut -d, -f1-3 "$OUT/mix.csv" > "$OUT/nocat.csv"
"$ROUSE" run "$OUT/nocat.csv" --as-of 2024-07-01 --out "$OUT/g2" --no-report --lang en -q --model gbm >/dev/null
grep -c '"feature_gain"' "$OUT/g2/results.json"
grep -c 'categor' "$OUT/g2/results.json"
# asked for the trees where the training snapshot has one outcome only: the reason, not "no
# customer" (the sofa buyers all came back within 180 days of 2023-07-02)
"$ROUSE" score "$OUT/shop.csv" --as-of 2024-07-01 -o "$OUT/s.csv" --model gbm -q
echo "exit $?"
# the same bytes at 1 and 2 threads, with the category features and thresholds
"$ROUSE" score "$OUT/mix.csv" --as-of 2024-07-01 -q -j 1 -o "$OUT/j1.csv"
"$ROUSE" score "$OUT/mix.csv" --as-of 2024-07-01 -q -j 2 -o "$OUT/j2.csv"
cmp "$OUT/j1.csv" "$OUT/j2.csv" && echo "1 and 2 threads: the same scores"
# a long Japanese category name is cut at a whole character to 28 columns (two a character)
# and the columns after it line up: valid UTF-8, the same width as an ASCII name's line
sed 's/,sofa$/,リビング・ダイニング用の大型ソファとオットマン/' "$OUT/shop.csv" > "$OUT/ja.csv"
"$ROUSE" run "$OUT/ja.csv" --as-of 2024-07-01 --out "$OUT/ja" --no-report --lang en -q | grep -E '^    (supplement|リビング)' > "$OUT/ja.txt"
cat "$OUT/ja.txt"
iconv -f UTF-8 -t UTF-8 "$OUT/ja.txt" >/dev/null && echo "valid UTF-8"
