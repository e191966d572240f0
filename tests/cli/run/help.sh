# rouse run --help
"$ROUSE" run --help
