# without an input file: usage error (use - for standard input)
"$ROUSE" score --horizon 180d
