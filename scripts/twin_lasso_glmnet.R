# The demo study's LASSO-Cox selection rerun in R's cv.glmnet, on the file written by
# `scripts/twin_lasso_count.py DIR --export FILE` (time, event, foldid, features): lambda.min and
# the number of features kept with the study's own fold ids, for both CV measures, then the count
# over many random fold assignments (how much the count owes to the folds).
#
# Usage: Rscript scripts/twin_lasso_glmnet.R FILE [assignments]   (default 50 random assignments)
suppressPackageStartupMessages({ library(glmnet); library(survival) })
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript scripts/twin_lasso_glmnet.R FILE [assignments]")
assignments <- if (length(args) > 1) as.integer(args[2]) else 50L
d <- read.csv(args[1], check.names = FALSE)
x <- as.matrix(d[, -(1:3)])
y <- Surv(d$time, d$event)
kept_at_min <- function(cv) unname(cv$nzero[cv$index["min", 1]])
cat(sprintf("%s: %d patients, %d events, %d features\n", args[1], nrow(x), sum(d$event), ncol(x)))
for (measure in c("deviance", "C")) {
  cv <- cv.glmnet(x, y, family = "cox", foldid = d$foldid, type.measure = measure)
  cat(sprintf("study's folds, %-8s lambda.min %.7g, features kept %d\n", measure, cv$lambda.min, kept_at_min(cv)))
}
set.seed(1)
counts <- replicate(assignments, kept_at_min(cv.glmnet(x, y, family = "cox", nfolds = 10)))
cat(sprintf("%d random fold assignments, deviance: features kept %s (median %g, within 8-24 %d)\n",
            assignments, paste(sort(counts), collapse = " "), median(counts), sum(counts >= 8 & counts <= 24)))
