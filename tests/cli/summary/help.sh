"$ROUSE" summary --help
