# Hazard ratio of each group against the first, as a study's survival-by-group tables give it
# (radsurv_study::evaluation::compare_groups: one Cox model on the later groups' indicators,
# Efron ties). Standalone (survival only):
#   Rscript testdata/stats/scripts/10_group_hazard_ratios.R
# The groups are veteran's cell types in their order of first appearance in data/veteran.csv
# (squamous first, hence the reference).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = FALSE)
root <- normalizePath(file.path(dirname(sub("^--file=", "", args[grep("^--file=", args)])), ".."))
d <- read.csv(file.path(root, "data", "veteran.csv"), stringsAsFactors = FALSE)
d$group <- factor(d$celltype, levels = unique(d$celltype))
num <- function(x) sprintf("%.17g", x)
fit <- coxph(Surv(time, status) ~ group, data = d)
ci <- exp(confint(fit))
write.csv(data.frame(group = sub("^group", "", names(coef(fit))), hr = num(exp(coef(fit))),
                     lower = num(ci[, 1]), upper = num(ci[, 2])),
          file.path(root, "expected", "cox", "veteran_celltype_group_hr.csv"),
          row.names = FALSE, quote = FALSE)
print(summary(fit))
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n")
