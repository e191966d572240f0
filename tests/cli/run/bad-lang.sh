# --lang is ja or en, lower case, as for rouse score; nothing is written
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --lang EN
