#!/bin/sh
# Compare the stock vhost_test.ko's answers with vmeta.ko's, case by case
# (tests/kmod/vhost_answers prints "case=<name> <answer>" lines and ends
# with "answers end cases=<n>").  One line per case, "ok - ..." or
# "not ok - ...": the same answer passes; a different one passes only if
# tests/kmod/answers-deliberate.txt lists exactly that pair for the kernel
# series (with its reason, also in README); a listed difference that did
# not happen fails too, so the list stays true.
#
# Usage: scripts/kanswers.sh SERIES STOCK_FILE OURS_FILE
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
series=$1
stock=$2
ours=$3
list="$top/tests/kmod/answers-deliberate.txt"

for f in "$stock" "$ours"; do
	if grep -q '^answers end cases=' "$f"; then
		echo "ok - answers: $(basename "$f") ran to the end" \
		     "($(sed -n 's/^answers end //p' "$f"))"
	else
		echo "not ok - answers: $(basename "$f") ran to the end"
		tail -n 3 "$f" | sed 's/^/# /'
	fi
done

awk -v series="$series" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
FILENAME == ARGV[1] {		# the deliberate differences
	if ($0 ~ /^#/ || $0 !~ /\|/)
		next
	n = split($0, f, "|")
	if (n < 5)
		next
	s = trim(f[1])
	if (s != "*" && s != series)
		next
	c = trim(f[2])
	dstock[c] = trim(f[3]); dours[c] = trim(f[4]); why[c] = trim(f[5])
	next
}
/^case=/ {
	name = substr($1, 6)
	ans = $0
	sub(/^case=[^ ]* /, "", ans)
	if (FILENAME == ARGV[2]) {
		if (!(name in st))
			order[++n_order] = name
		st[name] = ans
	} else {
		if (!(name in st) && !(name in ou))
			order[++n_order] = name
		ou[name] = ans
	}
}
END {
	for (i = 1; i <= n_order; i++) {
		c = order[i]
		if (!(c in st) || !(c in ou)) {
			printf "not ok - answer %s: only %s has it\n", c,
			       (c in st) ? "stock" : "ours"
			continue
		}
		if (st[c] == ou[c]) {
			if (c in why)
				printf "not ok - answer %s: %s from both, " \
				       "but listed as deliberate\n", c, st[c]
			else
				printf "ok - answer %s: %s\n", c, st[c]
		} else if ((c in why) && dstock[c] == st[c] &&
			   dours[c] == ou[c]) {
			printf "ok - answer %s: stock %s, ours %s " \
			       "(deliberate: %s)\n", c, st[c], ou[c], why[c]
		} else {
			printf "not ok - answer %s: stock %s, ours %s\n", c,
			       st[c], ou[c]
		}
	}
}' "$list" "$stock" "$ours"
