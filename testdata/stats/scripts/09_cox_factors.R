# Cox regression with a text column as a factor, as `radsurv stats cox --covariates celltype,karno,trt`
# does it, and survdiff by that factor. Standalone (survival only):
#   Rscript testdata/stats/scripts/09_cox_factors.R
# Reads data/veteran.csv, where celltype is text; read.csv + factor() order the levels alphabetically
# (adeno, large, smallcell, squamous), so adeno is the reference, as for any character column in R.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = FALSE)
root <- normalizePath(file.path(dirname(sub("^--file=", "", args[grep("^--file=", args)])), ".."))
d <- read.csv(file.path(root, "data", "veteran.csv"), stringsAsFactors = FALSE)
d$celltype <- factor(d$celltype)
num <- function(x) sprintf("%.17g", x)
out <- file.path(root, "expected", "cox")

fit <- coxph(Surv(time, status) ~ celltype + karno + trt, data = d)
s <- summary(fit)
b <- coef(fit); se <- sqrt(diag(vcov(fit)))
write.csv(data.frame(term = names(b), coef = num(b), se = num(se)),
          file.path(out, "veteran_celltype_factor_coef.csv"), row.names = FALSE, quote = FALSE)
# summary()$waldtest rounds the statistic for printing: take fit$wald.test at full precision.
k <- length(b)
tests <- data.frame(
  test = c("likelihood_ratio", "wald", "score"),
  statistic = num(c(s$logtest["test"], fit$wald.test, s$sctest["test"])),
  df = c(s$logtest["df"], k, s$sctest["df"]),
  p = num(c(s$logtest["pvalue"], pchisq(fit$wald.test, k, lower.tail = FALSE), s$sctest["pvalue"])))
write.csv(tests, file.path(out, "veteran_celltype_factor_tests.csv"), row.names = FALSE, quote = FALSE)

sd <- survdiff(Surv(time, status) ~ celltype, data = d)
v <- diag(sd$var)
write.csv(data.frame(group = sub("^celltype=", "", names(sd$n)), n = as.integer(sd$n),
                     observed = num(sd$obs), expected = num(sd$exp),
                     oe2_over_e = num((sd$obs - sd$exp)^2 / sd$exp),
                     oe2_over_v = num((sd$obs - sd$exp)^2 / v)),
          file.path(out, "veteran_celltype_survdiff.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("chisq %.17g df %d\n", sd$chisq, length(sd$n) - 1))
print(s)
print(sd)
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n")
