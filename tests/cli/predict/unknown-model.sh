# gg is a spend model, not a purchase model
"$ROUSE" predict ../../data/cdnow_sample/transactions.csv --model-file x.json --model gg
