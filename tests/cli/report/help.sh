"$ROUSE" report --help
