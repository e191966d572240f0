printf 'customer_id,date,amount\n1,2024-01-01,5\n2,"2024-01-02,6\n3,2024-01-03,7\n' > "$OUT/q.csv" && "$ROUSE" summary "$OUT/q.csv" --reject "$OUT/r.csv"; cat "$OUT/r.csv"
