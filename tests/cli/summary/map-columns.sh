"$ROUSE" summary csv/odd_headers.tsv --map customer_id=Kunde,date=Datum,amount=3 --date-format %d.%m.%Y
