a=$("$ROUSE" summary csv/shop_ja.csv -q -j 1); b=$("$ROUSE" summary csv/shop_ja.csv -q -j 4); [ "$a" = "$b" ] && echo identical
