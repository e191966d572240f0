"$ROUSE" --version
