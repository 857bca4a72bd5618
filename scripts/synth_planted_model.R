# The clinical half of `radsurv synth`'s planted survival model, simulated in R: what the seed
# study's clinical analysis (univariable Cox screening on the training cohort, multivariable Cox
# on AFP >= 400 and tumour number >= 3, Six-and-twelve C) gives, over many cohorts of the seed's
# size, for a choice of the planted log hazard ratios. It mirrors the generative model documented
# in crates/radsurv-study/src/synth/mod.rs (Table 1 counts, tumour count and diameter draws,
# BCLC staging score, Weibull PH times with shape 1.8 and median 25 months, administrative
# censoring at 2024-12-31 and dropout for 77 % events) without images; the latent lipiodol trait
# enters only through its hazard ratio. Independent of the Rust generator's random streams.
#
# usage: Rscript scripts/synth_planted_model.R beta_afp beta_ge3 beta_per_tumour beta_diameter beta_latent reps
#   e.g. the generator's defaults: Rscript scripts/synth_planted_model.R 1.0 0.3 0.15 0.4 0.8 500
# prints: median univariable HRs and the share of cohorts with p < 0.05 (AFP, tumour number,
# spurious BCLC B and diameter >= 7 cm), median multivariable HRs and the share inside the
# paper's 95 % CIs, the event share and the mean Six-and-twelve C in training.
suppressMessages(library(survival))
args <- commandArgs(TRUE)
bA <- as.numeric(args[1]); b3 <- as.numeric(args[2]); bN <- as.numeric(args[3]); bD <- as.numeric(args[4]); bL <- as.numeric(args[5])
reps <- as.integer(args[6]); k <- 1.8
set.seed(1)
one <- function() {
  n <- 168
  afp <- sample(c(rep(1,59), rep(0,109)))
  ge3 <- sample(c(rep(1,113), rep(0,55)))
  val <- sample(c(rep(1,56), rep(0,112)))
  N <- ifelse(ge3==1, 3 + pmin(rgeom(n, 0.32), 12), ifelse(runif(n) < .55, 1, 2))
  D <- numeric(n); for (i in 1:n) repeat { x <- 4.9*exp(0.2*rnorm(1)); if (x>=2 && x<=9) {D[i] <- round(x,1); break} }
  Dmax <- ifelse(N>1 & runif(n) < 1/6, round(D*runif(n,1.05,1.4),1), D)
  z <- rnorm(n)
  sD <- log(Dmax/4.9)/0.2
  stage <- 1.0*ge3 + 0.5*sD + rlogis(n)
  bclc <- as.integer(rank(-stage) <= 119)
  eta <- bA*afp + b3*ge3 + bN*(N-1) + bD*sD + bL*z
  u <- (-log(runif(n))*exp(-eta))^(1/k); T <- u*25/median(u)
  admin <- ifelse(val==1, runif(n, 12, 72), runif(n, 72, 108))
  E <- rexp(n)
  frac <- function(c) mean(T <= pmin(if (c>0) E/c else Inf, admin))
  c <- 0
  if (frac(0) >= 0.77) { lo <- 0; hi <- 0.01; while (frac(hi) >= .77) hi <- hi*2; for (j in 1:40) { m <- (lo+hi)/2; if (frac(m) >= .77) lo <- m else hi <- m }; c <- lo }
  C <- pmin(if (c>0) E/c else Inf, admin)
  time <- pmin(T, C); ev <- as.integer(T <= C)
  tr <- val==0
  d <- data.frame(time, ev, afp, ge3, bclc, big=as.integer(D>=7), N, Dmax)[tr,]
  st <- concordance(Surv(time,ev)~I(-(Dmax+N)), data=d)$concordance
  # A rare level (no death among diameters >= 7 cm) makes coxph warn of an infinite estimate.
  p <- function(f) suppressWarnings(summary(coxph(f, data=d))$coefficients[1, c(1,5)])
  ua <- p(Surv(time,ev)~afp); u3 <- p(Surv(time,ev)~ge3); ub <- p(Surv(time,ev)~bclc); ud <- p(Surv(time,ev)~big)
  mv <- suppressWarnings(coef(coxph(Surv(time,ev)~afp+ge3, data=d)))
  c(uA=ua[1], pA=ua[2], u3=u3[1], p3=u3[2], pB=ub[2], pD=ud[2], mA=mv[1], m3=mv[2], ev=mean(ev), st=st)
}
r <- t(replicate(reps, one()))
cat(sprintf("bA=%.2f b3=%.2f bN=%.2f bD=%.2f bL=%.2f | uniHR afp %.2f P(p<.05) %.2f | uniHR n>=3 %.2f P(p<.05) %.2f | P(bclc p<.05) %.2f P(diam>=7 p<.05) %.2f | mvHR afp %.2f (in CI %.2f) n>=3 %.2f (in CI %.2f) | events %.2f | S&12 C %.3f\n",
  bA,b3,bN,bD,bL, exp(median(r[,1])), mean(r[,2]<.05), exp(median(r[,3])), mean(r[,4]<.05), mean(r[,5]<.05), mean(r[,6]<.05, na.rm=TRUE),
  exp(median(r[,7])), mean(exp(r[,7])>=1.36 & exp(r[,7])<=2.99), exp(median(r[,8])), mean(exp(r[,8])>=1.2 & exp(r[,8])<=2.68), mean(r[,9]), mean(r[,10])))
