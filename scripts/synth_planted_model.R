# `radsurv synth`'s planted survival model, simulated in R: what the seed study's analysis gives,
# over many cohorts of the seed's size, for a choice of the planted constants. It mirrors the
# generative model documented in crates/radsurv-study/src/synth/mod.rs (Table 1 counts, tumour
# count and diameter draws, BCLC staging score, Weibull PH times with median `median_os` months,
# administrative censoring at 2024-12-31 and dropout for 77 % events) without images: the
# rad-score is stood in for by a variable correlated `rad_corr` with the latent lipiodol trait
# (measure it on a demo run as the correlation of `rad_score` in tables/predictions.csv with
# `latent` in cohort/truth.json). Independent of the Rust generator's random streams.
#
# Per cohort it runs, on the training cohort: univariable Cox screening (AFP >= 400, tumour number
# >= 3, BCLC B, diameter >= 7 cm), the multivariable Cox on AFP and tumour number, the combined
# Cox (plus the rad-score), risk groups at the training median of the combined score; then
# C-indices, group medians and log-rank tests in both cohorts.
#
# usage: Rscript scripts/synth_planted_model.R beta_afp beta_ge3 beta_per_tumour beta_diameter \
#            beta_latent weibull_shape rad_corr reps [median_os]   (median_os: the generator's 23.4)
#   e.g. the generator's defaults and the rad-score of a demo run:
#        Rscript scripts/synth_planted_model.R 1.1 0.3 0.3 0.2 1.0 2.1 0.8 500 23.4
# prints the median of each number over the cohorts and, in brackets, the share of cohorts where
# it falls inside the paper's 95 % CI (screening: the share where exactly AFP and tumour number
# are significant among the four tested).
#
# Last, the level of the true times that the paper's five Kaplan-Meier medians point to: in this
# model each KM median (overall; high and low risk in training and validation) is on average a
# fixed multiple of the true times' median, so each published median divided by its multiple
# estimates that median; the estimates are pooled on the log scale, weighted by the inverse
# variance the published 95 % CI gives (log SE = half-width / 1.96 / median).
suppressMessages(library(survival))
a <- as.numeric(commandArgs(TRUE))
if (!(length(a) %in% 8:9)) stop("usage: beta_afp beta_ge3 beta_per_tumour beta_diameter beta_latent weibull_shape rad_corr reps [median_os]")
bA <- a[1]; b3 <- a[2]; bN <- a[3]; bD <- a[4]; bL <- a[5]; k <- a[6]; rc <- a[7]; reps <- a[8]
m0 <- if (length(a) == 9) a[9] else 23.4
# The generator's staging score weights and multinodular tail (cohort.rs).
stage_number <- 0.5; stage_diameter <- 0.5; extra_nodule <- 0.68
set.seed(1)
one <- function() {
  n <- 168
  afp <- sample(c(rep(1,59), rep(0,109)))
  ge3 <- sample(c(rep(1,113), rep(0,55)))
  val <- sample(c(rep(1,56), rep(0,112)))
  N <- ifelse(ge3==1, 3 + pmin(rgeom(n, 1-extra_nodule), 12), ifelse(runif(n) < .55, 1, 2))
  D <- numeric(n); for (i in 1:n) repeat { x <- 4.9*exp(0.2*rnorm(1)); if (x>=2 && x<=9) {D[i] <- round(x,1); break} }
  Dmax <- ifelse(N>1 & runif(n) < 1/6, round(D*runif(n,1.05,1.4),1), D)
  z <- rnorm(n)
  zD <- log(Dmax/4.9)/0.2
  bclc <- as.integer(rank(-(stage_number*ge3 + stage_diameter*zD + rlogis(n))) <= 119)
  eta <- bA*afp + b3*ge3 + bN*(N-1) + bD*zD + bL*z
  u <- (-log(runif(n))*exp(-eta))^(1/k); T <- u*m0/median(u)
  admin <- ifelse(val==1, runif(n, 12, 72), runif(n, 72, 108))
  E <- rexp(n)
  frac <- function(c) mean(T <= pmin(if (c>0) E/c else Inf, admin))
  c <- 0
  if (frac(0) >= 0.77) { lo <- 0; hi <- 0.01; while (frac(hi) >= .77) hi <- hi*2; for (j in 1:40) { m <- (lo+hi)/2; if (frac(m) >= .77) lo <- m else hi <- m }; c <- lo }
  C <- pmin(if (c>0) E/c else Inf, admin)
  time <- pmin(T, C); ev <- as.integer(T <= C)
  rad <- rc*z + sqrt(1-rc^2)*rnorm(n)
  d <- data.frame(time, ev, afp, ge3, bclc, big=as.integer(D>=7), N, Dmax, rad, val)
  tr <- d[d$val==0,]; va <- d[d$val==1,]
  # A rare level (no death among diameters >= 7 cm) makes coxph warn of an infinite estimate.
  p <- function(f) suppressWarnings(summary(coxph(f, data=tr))$coefficients[1, 5])
  screen <- p(Surv(time,ev)~afp) < .05 && p(Surv(time,ev)~ge3) < .05 &&
    p(Surv(time,ev)~bclc) >= .05 && isTRUE(p(Surv(time,ev)~big) >= .05)
  mv <- exp(coef(coxph(Surv(time,ev)~afp+ge3, data=tr)))
  cm <- coxph(Surv(time,ev)~afp+ge3+rad, data=tr)
  lt <- predict(cm, tr, type="lp"); lv <- predict(cm, va, type="lp")
  thr <- median(lt)
  cc <- function(dd, lp) concordance(Surv(dd$time,dd$ev)~I(-lp))$concordance
  med <- function(dd, g) unname(summary(survfit(Surv(time,ev)~1, data=dd[g,]))$table["median"])
  lr <- function(dd, g) pchisq(survdiff(Surv(dd$time,dd$ev)~g)$chisq, 1, lower.tail=FALSE)
  c(screen=screen, hrA=unname(mv[1]), hrN=unname(mv[2]),
    cCt=cc(tr,lt), cCv=cc(va,lv), cSt=cc(tr,tr$Dmax+tr$N), cSv=cc(va,va$Dmax+va$N),
    mHt=med(tr, lt>thr), mLt=med(tr, lt<=thr), mHv=med(va, lv>thr), mLv=med(va, lv<=thr),
    mAll=med(d, rep(TRUE, n)),
    lrt=lr(tr, lt>thr), lrv=lr(va, lv>thr))
}
r <- as.data.frame(t(replicate(reps, one())))
row <- function(label, x, lo, hi) cat(sprintf("%-44s %7.3f  [%.2f]\n", label, median(x, na.rm=TRUE), mean(!is.na(x) & x>=lo & x<=hi)))
cat(sprintf("beta_afp %.2f  beta_ge3 %.2f  beta_per_tumour %.2f  beta_diameter %.2f  beta_latent %.2f  k %.2f  rad_corr %.2f  median_os %.1f  (%d cohorts)\n",
  bA, b3, bN, bD, bL, k, rc, m0, reps))
cat(sprintf("%-44s          [%.2f]\n", "screening keeps exactly AFP, tumour number", mean(r$screen)))
row("multivariable HR AFP (1.36-2.99)", r$hrA, 1.36, 2.99)
row("multivariable HR tumour number (1.20-2.68)", r$hrN, 1.20, 2.68)
row("C combined, training (0.65-0.76)", r$cCt, .65, .76)
row("C combined, validation (0.58-0.79)", r$cCv, .58, .79)
row("C Six-and-twelve, training (0.61-0.72)", r$cSt, .61, .72)
row("C Six-and-twelve, validation (0.53-0.74)", r$cSv, .53, .74)
row("median OS, all patients (19.8-30.2)", r$mAll, 19.8, 30.2)
row("median high risk, training (11.3-20.7)", r$mHt, 11.3, 20.7)
row("median low risk, training (31.5-42.5)", r$mLt, 31.5, 42.5)
row("median high risk, validation (9.2-18.8)", r$mHv, 9.2, 18.8)
row("median low risk, validation (28.7-41.3)", r$mLv, 28.7, 41.3)
row("log-rank p, training (< 0.01)", r$lrt, 0, .01)
row("log-rank p, validation (< 0.01)", r$lrv, 0, .01)
cat(sprintf("%-44s          [%.2f] [%.2f]\n", "combined C above Six-and-twelve (tr, va)", mean(r$cCt > r$cSt), mean(r$cCv > r$cSv)))
# The paper's KM medians with their 95 % CIs (Results: overall OS and Figure 9's risk groups).
paper <- data.frame(key=c("mAll", "mHt", "mLt", "mHv", "mLv"), value=c(25.0, 16.0, 37.0, 14.0, 35.0),
  lower=c(19.8, 11.3, 31.5, 9.2, 28.7), upper=c(30.2, 20.7, 42.5, 18.8, 41.3))
multiple <- sapply(paper$key, function(key) exp(mean(log(r[[key]] / m0), na.rm=TRUE)))
weight <- (paper$value / ((paper$upper - paper$lower) / 2 / 1.96))^2
level <- exp(sum(weight * log(paper$value / multiple)) / sum(weight))
cat(sprintf("KM median / true-time median (geometric mean over cohorts): %s\n",
  paste(sprintf("%s %.3f", paper$key, multiple), collapse="  ")))
cat(sprintf("true-time median the five published medians point to: %.1f months\n", level))
