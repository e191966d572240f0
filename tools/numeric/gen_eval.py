#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# Reference values for lib/eval/metrics.c, computed independently in plain numpy (no sklearn):
# AUC from average ranks (Mann-Whitney), average precision from the precision-recall steps
# (sklearn's definition), lift and quantile bins by interpolating cumulative curves.
# Run with Debian's /usr/bin/python3:
#   /usr/bin/python3 tools/numeric/gen_eval.py > tests/numeric/eval_reference.tsv
# The inputs are not stored: both this script and tests/unit/t_eval_metrics.c draw them from
# splitmix64 with the same seed and only exact IEEE operations (floor, *, /, <), so C and
# Python see the same doubles. Line kinds:
#   case  name kind seed n top bins  auc ap lift brier log_loss ece_uniform ece_quantile
#   bin   name binning b  lo hi count mean_pred obs_rate
import numpy as np

M64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.x = seed & M64

    def next(self):
        self.x = (self.x + 0x9E3779B97F4A7C15) & M64
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def unif(self):
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)


def draw(kind, seed, n):
    """kind: cont (continuous p), tied (p on a 0.05 grid), rare (p = 0.3 u^2: few positives),
    rfm (p = (a + b) / 8 with a, b in 0..4: few distinct values), const (one value)."""
    g = SplitMix64(seed)
    p = np.empty(n)
    y = np.empty(n, dtype=np.int64)
    for i in range(n):
        u1, u2, u3 = g.unif(), g.unif(), g.unif()
        if kind == "cont":
            v = u1
        elif kind == "tied":
            v = np.floor(u1 * 20.0) / 20.0
        elif kind == "rare":
            v = 0.3 * (u1 * u1)
        elif kind == "rfm":
            v = (np.floor(u1 * 5.0) + np.floor(u3 * 5.0)) / 8.0
        elif kind == "const":
            v = 0.25
        else:
            raise ValueError(kind)
        p[i] = v
        y[i] = 1 if u2 < v else 0
    return p, y


def auc(s, y):
    # average ranks of tied values, then U = R1 - n1 (n1 + 1) / 2
    order = np.argsort(s, kind="mergesort")
    ss = s[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and ss[j] == ss[i]:
            j += 1
        ranks[order[i:j]] = (i + 1 + j) / 2.0  # mean of ranks i+1..j
        i = j
    n1 = int(y.sum())
    n0 = len(y) - n1
    u = ranks[y == 1].sum() - n1 * (n1 + 1) / 2.0
    return u / (n1 * n0)


def thresholds(s, y):
    # distinct scores descending, cumulative TP and count at each
    t = np.unique(s)[::-1]
    tp = np.array([y[s >= v].sum() for v in t], dtype=float)
    cnt = np.array([(s >= v).sum() for v in t], dtype=float)
    return t, tp, cnt


def average_precision(s, y):
    t, tp, cnt = thresholds(s, y)
    precision = tp / cnt
    recall = tp / y.sum()
    return float(np.sum(np.diff(np.concatenate(([0.0], recall))) * precision))


def lift(s, y, top):
    t, tp, cnt = thresholds(s, y)
    m = top * len(s)
    captured = np.interp(m, np.concatenate(([0.0], cnt)), np.concatenate(([0.0], tp)))
    return (captured / m) / (y.sum() / len(s))


def brier(p, y):
    return float(np.mean((p - y) ** 2))


def log_loss(p, y):
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(np.where(y == 1, np.log(q), np.log1p(-q))))


def bins_uniform(p, y, B):
    idx = np.minimum(np.floor(p * B).astype(int), B - 1)
    rows = []
    for b in range(B):
        sel = idx == b
        c = int(sel.sum())
        mp = float(p[sel].mean()) if c else 0.0
        orate = float(y[sel].mean()) if c else 0.0
        rows.append((b / B, (b + 1) / B, float(c), mp, orate))
    return rows


def bins_quantile(p, y, B):
    # cumulative curves over positions in increasing order of p, linear inside tie groups
    n = len(p)
    v = np.unique(p)
    cnt = np.array([(p == x).sum() for x in v], dtype=float)
    pos = np.array([y[p == x].sum() for x in v], dtype=float)
    X = np.concatenate(([0.0], np.cumsum(cnt)))
    Fp = np.concatenate(([0.0], np.cumsum(cnt * v)))
    Fy = np.concatenate(([0.0], np.cumsum(pos)))
    rows = []
    for b in range(B):
        lo, hi = b * n / B, (b + 1) * n / B  # exact rational, correctly rounded (as C)
        w = hi - lo
        sp = np.interp(hi, X, Fp) - np.interp(lo, X, Fp)
        sy = np.interp(hi, X, Fy) - np.interp(lo, X, Fy)
        # groups overlapping [lo, hi) with positive length
        ov = (np.minimum(X[1:], hi) - np.maximum(X[:-1], lo)) > 0
        rows.append((float(v[ov].min()), float(v[ov].max()), w, sp / w, sy / w))
    return rows


def ece(rows, n):
    return float(sum(c / n * abs(mp - o) for (_, _, c, mp, o) in rows))


CASES = [
    # name, kind, seed, n, top, bins
    ("cont200", "cont", 1, 200, 0.1, 10),
    ("cont5000", "cont", 20240601, 5000, 0.1, 10),
    ("tied3000", "tied", 7, 3000, 0.1, 10),
    ("tied_q25", "tied", 8, 1001, 0.25, 7),
    ("rare4000", "rare", 42, 4000, 0.1, 10),
    ("rfm2500", "rfm", 99, 2500, 0.1, 10),
    ("rfm_top3", "rfm", 100, 997, 0.03, 15),
    ("small13", "cont", 5, 13, 0.1, 4),
    ("tiny3_bins10", "tied", 11, 3, 0.5, 10),
    ("const50", "const", 3, 50, 0.1, 10),
]


def main():
    print("# reference values for lib/eval/metrics.c; generated by tools/numeric/gen_eval.py")
    print("# numpy %s" % np.__version__)
    print("# case\tname\tkind\tseed\tn\ttop\tbins\tauc\tap\tlift\tbrier\tlog_loss\tece_uniform"
          "\tece_quantile")
    print("# bin\tname\tbinning\tb\tlo\thi\tcount\tmean_pred\tobs_rate")
    for name, kind, seed, n, top, B in CASES:
        p, y = draw(kind, seed, n)
        n1 = int(y.sum())
        a = auc(p, y) if 0 < n1 < n else -1.0
        ap = average_precision(p, y) if n1 else -1.0
        lf = lift(p, y, top) if n1 else -1.0
        bu, bq = bins_uniform(p, y, B), bins_quantile(p, y, B)
        vals = [a, ap, lf, brier(p, y), log_loss(p, y), ece(bu, n), ece(bq, n)]
        print("case\t%s\t%s\t%d\t%d\t%r\t%d\t%s" % (name, kind, seed, n, top, B,
                                                    "\t".join(repr(float(v)) for v in vals)))
        for binning, rows in (("uniform", bu), ("quantile", bq)):
            for b, r in enumerate(rows):
                print("bin\t%s\t%s\t%d\t%s" % (name, binning, b,
                                               "\t".join(repr(float(v)) for v in r)))


if __name__ == "__main__":
    main()
