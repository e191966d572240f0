"$ROUSE" --frob
