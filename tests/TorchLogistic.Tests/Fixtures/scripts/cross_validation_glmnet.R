# One-standard-error reference for tests/TorchLogistic.Tests/Selection/CrossValidationTests.cs.
# Run (after cross_validation_sklearn.py, which writes the data):
#   Rscript tests/TorchLogistic.Tests/Fixtures/scripts/cross_validation_glmnet.R
# Writes tests/TorchLogistic.Tests/Fixtures/cross_validation_glmnet.json: "default" on LogisticRegressionCV's grid
# (10 values 1e-4 ... 1e4) and "fine" on 25 values 1e-2 ... 1e2, where the one-SE rule picks a C below the best.
# Note: cv.glmnet's binomial deviance clips probabilities to [1e-5, 1 - 1e-5], so cvm/2 is the mean log loss only
# where no held-out probability is that extreme.
# cv.glmnet on cv_breast_cancer.csv with the same folds (foldid = fold + 1), ridge (alpha = 0), no standardisation,
# deviance, and the C grid of LogisticRegressionCV as lambda = 1/(C * 448): every fold trains on 448 rows, so glmnet's
# per-row penalty lambda/2 ||b||^2 is TorchLogistic's ||w||^2/(2 C m) in every fold.
library(glmnet)
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
here <- file.path(dirname(normalizePath(script)), "..")
d <- read.csv(file.path(here, "cv_breast_cancer.csv"))
x <- as.matrix(d[, grep("^x", names(d))])
y <- d$label
m <- sum(d$fold != 0)
num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ", "), "]")
run <- function(Cs) {
  lambda <- 1 / (Cs * m)            # decreasing when Cs increase, as glmnet wants
  fit <- cv.glmnet(x, y, family = "binomial", alpha = 0, lambda = rev(sort(lambda)), foldid = d$fold + 1, standardize = FALSE,
                   type.measure = "deviance", thresh = 1e-14, maxit = 1e7)
  paste0("{\n",
    "  \"lambda\": ", num(fit$lambda), ",\n",
    "  \"C\": ", num(1 / (fit$lambda * m)), ",\n",
    "  \"cvm\": ", num(fit$cvm), ",\n",
    "  \"cvsd\": ", num(fit$cvsd), ",\n",
    "  \"lambda_min\": ", sprintf("%.17g", fit$lambda.min), ",\n",
    "  \"lambda_1se\": ", sprintf("%.17g", fit$lambda.1se), ",\n",
    "  \"C_min\": ", sprintf("%.17g", 1 / (fit$lambda.min * m)), ",\n",
    "  \"C_1se\": ", sprintf("%.17g", 1 / (fit$lambda.1se * m)), "\n }")
}
json <- paste0("{\n",
  " \"glmnet\": \"", packageVersion("glmnet"), "\",\n",
  " \"m_train\": ", m, ",\n",
  " \"default\": ", run(10^seq(-4, 4, length.out = 10)), ",\n",
  " \"fine\": ", run(10^seq(-2, 2, length.out = 25)), "\n}\n")
writeLines(json, file.path(here, "cross_validation_glmnet.json"))
