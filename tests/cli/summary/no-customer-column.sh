"$ROUSE" summary csv/no_customer.csv
