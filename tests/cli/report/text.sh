# shellcheck shell=bash
# helpers for the report cases: the text of report.html (charts, styles and tags removed) and
# a check that every page of report.pdf has ink on it (rasterised with pdftoppm)
html_text() {
  sed -e 's/<svg[^>]*>.*<\/svg>//g' -e 's/<style>.*<\/style>//' -e 's/<[^>]*>/ /g' \
      -e 's/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g' \
      -e 's/  */ /g; s/^ //; s/ $//' "$1" | grep -v '^$'
}
pdf_pages_inked() { # PDF DIR: prints "pages: N, blank: M"
  local pdf=$1 dir=$2 n=0 blank=0 f px ink
  pdftoppm -gray -r 30 "$pdf" "$dir/pg" || return 1
  for f in "$dir"/pg*.pgm; do
    n=$((n + 1))
    px=$(($(tail -n +4 "$f" | wc -c)))
    ink=$(tail -n +4 "$f" | LC_ALL=C tr -d '\377\376\375\374\373\372' | wc -c)
    # a page with less than 2% non-white pixels is blank (the footer alone is about 0.5%)
    [ $((ink * 50)) -lt "$px" ] && blank=$((blank + 1))
  done
  echo "pages: $n, blank: $blank"
}
