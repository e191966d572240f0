"$ROUSE" predict --help
