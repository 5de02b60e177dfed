# Records R 4.2 references for robust covariances (sandwich), profile-likelihood intervals (MASS's confint on a glm)
# and Firth's estimator (brglm2) for the Inference tests.
#
# Run after robust_inference_statsmodels.py, with Debian's R (r-base-core, r-cran-sandwich, r-cran-brglm2):
#     Rscript tests/TorchLogistic.Tests/Fixtures/scripts/robust_inference_r.R
# Reads Fixtures/robust_inference_rows.csv; writes Fixtures/robust_inference_r.json. Matrices row-major.
suppressMessages({ library(sandwich); library(MASS); library(brglm2) })
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
rows <- read.csv(file.path(here, "..", "robust_inference_rows.csv"))
num <- function(v) paste0("[", paste(sprintf("%.17g", as.vector(v)), collapse = ", "), "]")
mat <- function(m) num(t(m))  # row-major
entries <- list()
add <- function(key, value) entries[[length(entries) + 1]] <<- sprintf("\"%s\": %s", key, value)

fit <- glm(y ~ x1 + x2 + d, family = binomial, data = rows, control = glm.control(epsilon = 1e-14, maxit = 100))
add("logit_coef", num(coef(fit)))
for (type in c("HC0", "HC1", "HC2", "HC3")) add(paste0("vcovHC_", type), mat(vcovHC(fit, type = type)))
# vcovCL with type HC1 (and cadjust): G/(G − 1) · (n − 1)/(n − k), as statsmodels' cov_type = "cluster"; vcovCL's
# default for a glm (type HC0) keeps only G/(G − 1).
add("vcovCL", mat(vcovCL(fit, cluster = ~g, type = "HC1")))
add("vcovCL_HC0", mat(vcovCL(fit, cluster = ~g)))

# Frequency weights: the rows repeated wᵢ times (what statsmodels' GLM freq_weights means).
expanded <- rows[rep(seq_len(nrow(rows)), rows$w), ]
wfit <- glm(y ~ x1 + x2 + d, family = binomial, data = expanded, control = glm.control(epsilon = 1e-14, maxit = 100))
add("weighted_coef", num(coef(wfit)))
for (type in c("HC0", "HC1", "HC2", "HC3")) add(paste0("weighted_vcovHC_", type), mat(vcovHC(wfit, type = type)))
add("weighted_vcovCL", mat(vcovCL(wfit, cluster = ~g, type = "HC1")))

# Profile-likelihood intervals (MASS's profile.glm + spline interpolation, R 4.2's confint on a glm).
ci <- suppressMessages(confint(fit, level = 0.95))
add("confint_lower", num(ci[, 1]))
add("confint_upper", num(ci[, 2]))
# The exact roots of 2(l_hat - l_p(b_j)) = qchisq(0.95, 1) by uniroot over constrained refits (glm.fit with b_j x_j as
# offset), which MASS's spline interpolation approximates (to about 1e-5 here).
X <- model.matrix(fit)
profile_gap <- function(j, b) {
  refit <- glm.fit(X[, -j, drop = FALSE], rows$y, family = binomial(), offset = b * X[, j], control = glm.control(epsilon = 1e-14, maxit = 100))
  2 * (as.numeric(logLik(fit)) + refit$deviance / 2) - qchisq(0.95, 1)
}
roots <- sapply(seq_len(ncol(X)), function(j) {
  b <- coef(fit)[j]; se <- sqrt(diag(vcov(fit)))[j]
  c(uniroot(function(v) profile_gap(j, v), c(b - 5 * se, b), tol = 1e-14)$root, uniroot(function(v) profile_gap(j, v), c(b, b + 5 * se), tol = 1e-14)$root)
})
add("profile_root_lower", num(roots[1, ]))
add("profile_root_upper", num(roots[2, ]))

# Firth's penalised likelihood (Jeffreys-prior penalty) on these rows and on perfectly separated rows.
firth <- glm(y ~ x1 + x2 + d, family = binomial, data = rows, method = "brglmFit", type = "MPL_Jeffreys", epsilon = 1e-12, maxit = 500)
add("firth_coef", num(coef(firth)))
add("firth_se", num(sqrt(diag(vcov(firth)))))
separated <- data.frame(dose = c(-2.1, -1.7, -1.2, -0.9, -0.4, -0.2, 0.3, 0.5, 0.8, 1.1, 1.6, 2.0),
                        noise = c(0.3, -1.2, 0.8, 0.1, -0.5, 1.4, -0.9, 0.6, -0.3, 1.1, -1.4, 0.2),
                        y = c(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1))
sfirth <- glm(y ~ dose + noise, family = binomial, data = separated, method = "brglmFit", type = "MPL_Jeffreys", epsilon = 1e-12, maxit = 500)
add("separated_dose", num(separated$dose))
add("separated_noise", num(separated$noise))
add("separated_y", num(separated$y))
add("separated_firth_coef", num(coef(sfirth)))
add("separated_firth_se", num(sqrt(diag(vcov(sfirth)))))

add("generator", sprintf("\"%s, sandwich %s, MASS %s, brglm2 %s\"", R.version.string, packageVersion("sandwich"), packageVersion("MASS"), packageVersion("brglm2")))
writeLines(c("{", paste(unlist(entries), collapse = ",\n"), "}"), file.path(here, "..", "robust_inference_r.json"))
cat("wrote robust_inference_r.json\n")
