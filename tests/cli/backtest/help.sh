# rouse backtest --help
"$ROUSE" backtest --help
