# rouse score --help: the usage, every option with its default, the exit statuses
"$ROUSE" score --help
