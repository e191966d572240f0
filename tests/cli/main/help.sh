"$ROUSE" --help
