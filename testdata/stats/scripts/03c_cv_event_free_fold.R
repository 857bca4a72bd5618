# cv.glmnet (family = "cox") when one fold holds no event: a small simulated data set (30
# patients, 6 covariates, 5 fixed folds, fold 3 all censored). For the deviance cv.glmnet weighs
# each fold by its events; for C that fold's value is NA and leaves the weighted mean; either way
# the fold adds nothing to the CV mean and spread but counts among the folds. Writes
#   data/cv_event_free_fold.csv                            time, event, foldid, x1..x6
#   expected/glmnet/event_free_fold_cv_{deviance,C}.csv    step, lambda, cvm, cvsd
#   expected/glmnet/event_free_fold_summary.json           lambda.min, lambda.1se, versions
# Run from testdata/stats: Rscript scripts/03c_cv_event_free_fold.R
suppressPackageStartupMessages({ library(glmnet); library(survival) })
set.seed(11)
n <- 30; p <- 6
x <- matrix(rnorm(n * p), n, p, dimnames = list(NULL, paste0("x", 1:p)))
time <- rexp(n, exp(0.8 * x[, 1] - 0.5 * x[, 2]))
event <- rbinom(n, 1, 0.6)
foldid <- rep(1:5, length.out = n)
event[foldid == 3] <- 0
g <- function(v) sprintf("%.17g", v)
data <- data.frame(time = g(time), event = event, foldid = foldid, apply(x, 2, g))
write.csv(data, "data/cv_event_free_fold.csv", row.names = FALSE, quote = FALSE)
summary <- c()
for (measure in c("deviance", "C")) {
  cv <- cv.glmnet(x, Surv(time, event), family = "cox", foldid = foldid, type.measure = measure)
  curve <- data.frame(step = seq_along(cv$lambda), lambda = g(cv$lambda), cvm = g(cv$cvm), cvsd = g(cv$cvsd))
  write.csv(curve, sprintf("expected/glmnet/event_free_fold_cv_%s.csv", measure), row.names = FALSE, quote = FALSE)
  summary <- c(summary, sprintf('  "cv_%s": {"lambda_min": %s, "lambda_1se": %s}', measure, g(cv$lambda.min), g(cv$lambda.1se)))
}
writeLines(c("{", sprintf('  "R": "%s",\n  "glmnet": "%s",\n  "event_free_fold": 3,', getRversion(), packageVersion("glmnet")),
             paste(summary, collapse = ",\n"), "}"),
           "expected/glmnet/event_free_fold_summary.json")
