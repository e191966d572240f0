"$ROUSE" summary
