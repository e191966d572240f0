# BG/NBD on the CDNOW sample, calibration to 1997-09-30 (Fader, Hardie & Lee 2005:
# r 0.2426, alpha 4.414, a 0.7929, b 2.426, LL -9582.43) and the 39-week holdout check
# (1882 actual, ~1653 predicted). iterations, grad_norm and stop are left to the .glob:
# they depend on the optimiser and the platform, the published digits do not.
"$ROUSE" fit ../../data/cdnow_sample/transactions.csv --calibration-end 1997-09-30 --model bgnbd
