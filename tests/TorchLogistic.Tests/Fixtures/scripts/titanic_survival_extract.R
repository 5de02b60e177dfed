# Extracts carData's TitanicSurvival (Debian 12 package r-cran-cardata 3.0.5-1, GPL >= 2) as CSV:
#   Rscript tests/TorchLogistic.Tests/Fixtures/scripts/titanic_survival_extract.R
# Columns reordered so the label (survived) is last; passenger names (the row names) left out; missing ages as NA.
data(TitanicSurvival, package = "carData")
d <- TitanicSurvival[, c("sex", "age", "passengerClass", "survived")]
write.csv(d, "tests/TorchLogistic.Tests/Fixtures/data/titanic_survival.csv", row.names = FALSE, quote = FALSE)
