# Cox regression where one binary level is held by a single patient, so Newton's steps for its
# coefficient overshoot, the risk scores overflow and coxph pulls its trial points back towards the
# last accepted one. Standalone (survival only):
#   Rscript testdata/stats/scripts/11_cox_sparse_level.R
# Reads data/cox_sparse_level.csv (the training cohort of `radsurv demo --seed 60`: AFP >= 400,
# target lesion >= 7 cm held by one patient, and the rad-score) and writes the fit after
# coxph.control()'s 20 iterations, which do not converge. When they run out, coxph inverts the
# information recomputed at the last accepted coefficients without factoring it first, so its
# standard errors are not those of any model; `se` is therefore taken from a refit at those
# coefficients with iter.max = 0, whose variance is the inverse information there.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = FALSE)
root <- normalizePath(file.path(dirname(sub("^--file=", "", args[grep("^--file=", args)])), ".."))
d <- read.csv(file.path(root, "data", "cox_sparse_level.csv"))
num <- function(x) sprintf("%.17g", x)
fit <- suppressWarnings(coxph(Surv(time, status) ~ afp_ge400 + tl_ge7cm + rad_score, data = d))
b <- coef(fit)
at_b <- coxph(Surv(time, status) ~ afp_ge400 + tl_ge7cm + rad_score, data = d, init = b,
              control = coxph.control(iter.max = 0))
write.csv(data.frame(term = names(b), coef = num(b), se = num(sqrt(diag(vcov(at_b)))),
                     loglik = num(fit$loglik[2])),
          file.path(root, "expected", "cox", "sparse_level_coef.csv"), row.names = FALSE, quote = FALSE)
print(fit)
print(sqrt(diag(vcov(at_b))))
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n")
