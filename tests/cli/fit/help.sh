"$ROUSE" fit --help
