using System.Globalization;
using TorchLogistic.Data;
using TorchLogistic.Models;
using TorchLogistic.Objectives;
using TorchLogistic.Optim;
using TorchLogistic.Training;
using static TorchSharp.torch;

namespace TorchLogistic.Inference;

/// <summary>
/// Wald inference for a logistic regression, as statsmodels' <c>Logit</c> (binary) and <c>MNLogit</c>
/// (multinomial) report it, from the exact Hessian of <see cref="LinearModelObjective"/>.
/// <list type="bullet">
/// <item>The estimate is the model's θ, refined by the <see cref="Newton"/> solver on the exact Hessian of the loss
/// layer until the step is at rounding level (the training solver stops at its tolerance; inference wants the
/// optimum itself).</item>
/// <item>Observed information: the objective is a mean, so the Hessian of the log-likelihood is
/// <c>m·∇²F(θ)</c>; the covariance is its inverse, computed through the eigendecomposition of its unit-diagonal
/// rescaling (whose condition number also detects singularity).</item>
/// <item>L2 fits: the covariance is the inverse of the <b>penalised</b> Hessian <c>X̃ᵀ W X̃ + diag(0, 1/C, …)</c>
/// (the usual Laplace / ridge-sandwich-free choice; statsmodels reports none for penalised fits). It is smaller than
/// the unpenalised one and the estimates are shrunk, so z and p-values are approximate; the log-likelihood
/// reported is the unpenalised one at the penalised estimate.</item>
/// <item>Multinomial fits: the softmax is over-parameterised, so, as MNLogit, class 0 is the reference category
/// and the reported coefficients are the contrasts <c>βₖ = (bₖ − b₀, Wₖ − W₀)</c>, k = 1..K−1. Without a penalty their
/// covariance is the inverse of the Hessian of the identified model (class-0 parameters fixed at 0); with L2 it is
/// <c>A H⁺ Aᵀ</c>, A taking the contrasts and H⁺ the pseudo-inverse of the penalised Hessian (singular only along
/// the common shift of the intercepts, which the contrasts do not see).</item>
/// <item>Unpenalised fits are checked for complete separation (the fitted model classifies every row
/// correctly), collinear or constant features (singular X̃ᵀX̃) and quasi-complete separation (Newton's method
/// does not converge because coefficients keep growing); each refuses with an explanation instead of a table.</item>
/// <item>Robust covariances (<see cref="CovarianceOptions"/>): HC0–HC3 as R's <c>sandwich::vcovHC</c> on a GLM, and
/// cluster-robust as statsmodels' <c>cov_type='cluster'</c> (<see cref="Sandwich"/>). With a robust covariance,
/// sample weights are allowed and mean frequency weights (row i stands for wᵢ identical rows, as statsmodels' GLM
/// <c>freq_weights</c>); the model-based covariance refuses weighted rows, and class weights are always refused.</item>
/// </list>
/// A model without an intercept
/// (<see cref="TrainingOptions.FitIntercept"/> false) has no <c>const</c> row, as statsmodels' <c>Logit</c> on
/// exog without a constant column: its intercepts are held at zero, its collinearity check uses X rather than
/// [1, X], and the model degrees of freedom are statsmodels' rank(X) − 1 per equation.
/// </summary>
public static class LogitInference
{
    /// <summary>Most coefficients for which a dense Hessian is formed and inverted.</summary>
    public const int MaxParameters = 4000;

    private const int MaxNewtonSteps = 40;
    private const double SaturationGap = 1e-8;

    /// <summary>
    /// Trains an unpenalised (or L2) model on <paramref name="data"/> with <see cref="Trainer"/> (L-BFGS, tolerance
    /// 1e-10) and returns its inference.
    /// </summary>
    /// <param name="data">Training rows (all of them are used).</param>
    /// <param name="penalty">None (default, maximum likelihood) or L2.</param>
    /// <param name="c">Inverse regularisation strength of L2 (default 1).</param>
    /// <param name="standardize">Standardise the features first (default false: coefficients per unit of each feature).</param>
    /// <param name="multinomial">Fit a softmax model even for two classes (default: softmax only for more than two).</param>
    /// <param name="fitIntercept">Fit intercepts (default true); false: a model through the origin, no <c>const</c> row.</param>
    /// <param name="covariance">Which covariance to report (default model-based).</param>
    /// <returns>The inference, or the refusal (separation, collinearity, or an unsupported fit) with its fix.</returns>
    public static InferenceOutcome Fit(Dataset data, PenaltyKind penalty = PenaltyKind.None, double c = 1.0, bool standardize = false, bool multinomial = false,
        bool fitIntercept = true, CovarianceOptions? covariance = null)
    {
        var options = new TrainingOptions
        {
            Model = data.ClassCount == 2 && !multinomial ? ModelKind.Logistic : ModelKind.Softmax,
            Penalty = penalty,
            C = c,
            Solver = SolverKind.Lbfgs,
            Tolerance = 1e-10,
            MaxIterations = 20_000,
            Standardize = standardize,
            FitIntercept = fitIntercept,
        };
        using var model = Trainer.Fit(data, options);
        return Of(model, data, covariance: covariance);
    }

    /// <summary>Inference for <paramref name="model"/>, trained on <paramref name="train"/> (raw rows; the model's scaler is applied).</summary>
    /// <param name="model">A model trained without an L1 penalty and without sample or class weights.</param>
    /// <param name="train">The rows it was trained on.</param>
    /// <param name="alpha">1 − the confidence level of the intervals (default 0.05).</param>
    /// <param name="covariance">Which covariance to report (default model-based); a robust one also allows sample (frequency) weights.</param>
    /// <returns>The inference, or the refusal (separation, collinearity, or an unsupported fit) with its fix.</returns>
    public static InferenceOutcome Of(FittedModel model, Dataset train, double alpha = 0.05, CovarianceOptions? covariance = null)
    {
        if (model.Options.ClassWeight != ClassWeightMode.None)
            return InferenceOutcome.RefusedWith(new InferenceRefusal(RefusalReason.Unsupported,
                "Inference refused: the model was trained with class weights, which change what the coefficients estimate. Train without class weights (TrainingOptions.ClassWeight) for inference.", Array.Empty<string>()));
        var rows = ModelRows(model, train);
        return Of(rows.Features, rows.Labels, rows.SampleCount, rows.FeatureCount, model.Module.ParametersToVector(),
            model.Module is LogisticRegression ? 1 : model.Classes.Length, model.Options.PenaltyObject, model.ModelFeatureNames, model.Classes,
            model.Scaler != null, alpha, model.Module.FitIntercept, train.SampleWeight, covariance);
    }

    /// <summary>
    /// <paramref name="rows"/> as <paramref name="model"/> sees them: through its polynomial expansion, then the scaler
    /// fitted on the expanded rows (the features the coefficients of the inference refer to).
    /// </summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="rows">Raw rows with the model's input features.</param>
    public static Dataset ModelRows(FittedModel model, Dataset rows)
    {
        var expanded = model.Polynomial?.Transform(rows) ?? rows;
        return model.Scaler?.Transform(expanded) ?? expanded;
    }

    /// <summary>Inference for the parameters <paramref name="theta"/> of a linear model on the given rows.</summary>
    /// <param name="features">X, row-major <c>(m, d)</c>, in the scale the model was fitted on.</param>
    /// <param name="labels">Class indices.</param>
    /// <param name="sampleCount">m.</param>
    /// <param name="featureCount">d.</param>
    /// <param name="theta">θ = [vec(W); b] of the fit (as <see cref="LinearClassifier.ParametersToVector"/>).</param>
    /// <param name="outputCount">1 for binary logistic regression, K for softmax.</param>
    /// <param name="penalty">Penalty of the fit: none or L2.</param>
    /// <param name="featureNames">d names.</param>
    /// <param name="classes">Class names (class 0 is the reference).</param>
    /// <param name="standardized">Whether the features are standardised (for the table's header).</param>
    /// <param name="alpha">1 − confidence level (default 0.05).</param>
    /// <param name="fitIntercept">Whether the model has intercepts (default true); false: θ = vec(W) and no <c>const</c> row.</param>
    /// <param name="sampleWeight">Frequency weights wᵢ ≥ 0 of the rows (allowed with a robust covariance), or null.</param>
    /// <param name="covariance">Which covariance to report (default model-based).</param>
    public static InferenceOutcome Of(double[] features, int[] labels, int sampleCount, int featureCount, double[] theta, int outputCount,
        Penalty penalty, string[] featureNames, string[] classes, bool standardized = false, double alpha = 0.05, bool fitIntercept = true,
        double[]? sampleWeight = null, CovarianceOptions? covariance = null)
    {
        covariance ??= CovarianceOptions.Nonrobust;
        var kind = covariance.Kind;
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha = {alpha} must be in (0, 1), e.g. 0.05 for 95 % intervals.");
        if (penalty.Kind is not (PenaltyKind.None or PenaltyKind.L2))
            return InferenceOutcome.RefusedWith(new InferenceRefusal(RefusalReason.Unsupported,
                $"Inference refused: penalty '{penalty.Name}' sets coefficients exactly to zero, and Wald standard errors do not apply. Use penalty none or l2.", Array.Empty<string>()));
        int d = featureCount, m = sampleCount;
        int k = outputCount;
        int nClasses = k == 1 ? 2 : k;
        if (classes.Length != nClasses) throw new ArgumentException($"{classes.Length} class names for a model of {nClasses} classes.");
        if (featureNames.Length != d) throw new ArgumentException($"{featureNames.Length} feature names for {d} features.");
        int o = fitIntercept ? 1 : 0;
        if (theta.Length != k * (d + o))
            throw new ArgumentException($"θ has {theta.Length} entries; a model with {k} outputs and {d} features {(fitIntercept ? "" : "without an intercept ")}has {k * (d + o)}.");
        // Without an intercept the problem keeps θ's full layout with the intercepts held at zero.
        if (!fitIntercept) theta = theta.Concat(new double[k]).ToArray();
        int nFree = k > 1 && penalty.Kind == PenaltyKind.None ? (k - 1) * (d + o) : k * (d + o);
        if (nFree > MaxParameters)
            return InferenceOutcome.RefusedWith(new InferenceRefusal(RefusalReason.Unsupported,
                $"Inference refused: {nFree} coefficients are too many for a dense {nFree}×{nFree} information matrix (at most {MaxParameters}). Use fewer features.", Array.Empty<string>()));
        if (CovarianceRefusal(kind, penalty, k, sampleWeight, covariance.Groups, m) is { } unsupported) return InferenceOutcome.RefusedWith(unsupported);
        using var problem = new Problem(features, labels, m, d, k, penalty, featureNames, fitIntercept, sampleWeight);

        bool unpenalized = penalty.Kind == PenaltyKind.None;
        if (unpenalized)
        {
            if ((problem.CompleteSeparation(theta) ?? problem.Collinearity()) is { } refusal) return InferenceOutcome.RefusedWith(refusal);
        }

        double[] u0 = problem.FreeFromTheta(theta);
        var (u, steps, converged) = problem.Newton(u0);
        double[] thetaHat = problem.ThetaFromFree(u);
        var hessian = problem.FreeHessian(thetaHat);
        var inverse = SymmetricInverse.Of(hessian, problem.NFree);
        if (unpenalized && (!converged || inverse.IsSingular))
        {
            // The solver may stop before its θ separates every row; Newton's iterate shows whether it does.
            return InferenceOutcome.RefusedWith(problem.CompleteSeparation(thetaHat) ?? problem.QuasiSeparation(thetaHat, u0, u, converged));
        }
        var notes = new List<string>();
        if (!converged)
            notes.Add($"Warning: Newton's method did not reach the optimum in {MaxNewtonSteps} steps; the estimates may be inaccurate.");
        if (inverse.IsSingular)
            notes.Add("Warning: the penalised information matrix is nearly singular; standard errors are unreliable.");

        var leverage = kind is CovarianceKind.HC2 or CovarianceKind.HC3 ? problem.Leverage(thetaHat, inverse.Inverse) : null;
        var freeCovariance = Sandwich.Of(inverse.Inverse, problem.Scores(thetaHat), sampleWeight, leverage, covariance.Groups, kind, m, problem.NFree);
        var (coefficients, reported) = problem.Report(thetaHat, freeCovariance);
        double q = SpecialFunctions.NormalInverseCdf(1 - alpha / 2);
        int p = d + o, equationsCount = k == 1 ? 1 : k - 1;
        string[] names = fitIntercept ? new[] { "const" }.Concat(featureNames).ToArray() : featureNames;
        var equations = new List<CoefficientTable>();
        for (int e = 0; e < equationsCount; e++)
        {
            var b = new double[p];
            var se = new double[p];
            for (int j = 0; j < p; j++)
            {
                b[j] = coefficients[e * p + j];
                se[j] = Math.Sqrt(reported[e * p + j, e * p + j]);
            }
            var z = b.Select((v, j) => v / se[j]).ToArray();
            string label = k == 1 ? classes[1] : $"{classes[e + 1]} vs {classes[0]}";
            equations.Add(new CoefficientTable(label, names, b, se, z, z.Select(v => 2 * SpecialFunctions.NormalSurvival(Math.Abs(v))).ToArray(),
                b.Select((v, j) => v - q * se[j]).ToArray(), b.Select((v, j) => v + q * se[j]).ToArray()));
        }

        if (kind != CovarianceKind.Nonrobust) notes.Add(RobustNote(kind, covariance.Groups, sampleWeight, m));
        else notes.Add(penalty.Kind == PenaltyKind.None
            ? "Standard errors from the inverse of the observed information (the Hessian of the log-likelihood at the maximum-likelihood estimate)."
            : string.Create(CultureInfo.InvariantCulture, $"L2-penalised fit (C = {penalty.C:G6}): standard errors from the inverse of the penalised Hessian X'WX + I/C (intercept unpenalised); the estimates are shrunk towards 0, so z, p-values and intervals are approximate. The log-likelihood is the unpenalised one at the penalised estimate."));
        if (k > 1)
            notes.Add($"Multinomial coefficients are log-odds against the reference class '{classes[0]}' (each class's softmax coefficients minus those of '{classes[0]}').");
        if (standardized)
            notes.Add("Features were standardised: slope coefficients and odds ratios are per standard deviation of each feature.");
        return InferenceOutcome.Of(new InferenceResult(k == 1 ? "Logit" : "MNLogit", classes, penalty.Kind == PenaltyKind.None ? "none" : "l2", penalty.C, standardized,
            m, equationsCount * (d - 1 + o), equations, reported, problem.LogLikelihood(thetaHat), problem.NullLogLikelihood(), alpha, steps, notes, kind));
    }

    /// <summary>The refusal when <paramref name="kind"/> does not apply to this fit; throws for clusters that are not given or are one.</summary>
    private static InferenceRefusal? CovarianceRefusal(CovarianceKind kind, Penalty penalty, int k, double[]? sampleWeight, IReadOnlyList<long>? groups, int m)
    {
        string name = CovarianceOptions.NameOf(kind);
        if (kind == CovarianceKind.Cluster)
        {
            if (groups == null)
                throw new ArgumentException("CovarianceKind.Cluster needs CovarianceOptions.Groups: one cluster label per training row.");
            if (groups.Count != m)
                throw new ArgumentException($"CovarianceOptions.Groups has {groups.Count} labels for {m} training rows; give one cluster label per row.");
            int distinct = groups.Distinct().Count();
            if (distinct < 2)
                throw new ArgumentException($"CovarianceKind.Cluster needs at least two clusters; CovarianceOptions.Groups has {distinct} ('{groups.FirstOrDefault()}'). Use another group column, or CovarianceKind.HC1.");
        }
        if (sampleWeight != null && kind == CovarianceKind.Nonrobust)
            return new InferenceRefusal(RefusalReason.Unsupported,
                "Inference refused: the rows carry sample weights, and the model-based standard errors assume each row is one independent observation. Use a robust covariance (CovarianceOptions.Kind = HC0, HC1 or Cluster: weights then count as frequency weights), or train without sample weights (Datasets.sampleWeight).", Array.Empty<string>());
        if (kind != CovarianceKind.Nonrobust && penalty.Kind != PenaltyKind.None)
            return new InferenceRefusal(RefusalReason.Unsupported,
                $"Inference refused: the {name} covariance is computed for unpenalised fits only (the sandwich of a penalised fit has no reference to check it against). Train with TrainingOptions.Penalty = None, or use CovarianceKind.Nonrobust.", Array.Empty<string>());
        if (k > 1 && kind is CovarianceKind.HC2 or CovarianceKind.HC3)
            return new InferenceRefusal(RefusalReason.Unsupported,
                $"Inference refused: {name} divides by hat values, which R's sandwich::vcovHC defines for a GLM (one linear predictor per row); a multinomial model has K − 1. Use CovarianceKind.HC0, HC1 or Cluster.", Array.Empty<string>());
        return null;
    }

    private static string RobustNote(CovarianceKind kind, IReadOnlyList<long>? groups, double[]? sampleWeight, int m)
    {
        var c = CultureInfo.InvariantCulture;
        string what = kind switch
        {
            CovarianceKind.HC0 => "the heteroskedasticity-robust sandwich H⁻¹(Σ sᵢsᵢᵀ)H⁻¹ (HC0)",
            CovarianceKind.HC1 => "the sandwich HC0 scaled by n/(n − k) (HC1)",
            CovarianceKind.HC2 => "the sandwich with scores divided by √(1 − hᵢ), hᵢ the hat values (HC2)",
            CovarianceKind.HC3 => "the sandwich with scores divided by 1 − hᵢ, hᵢ the hat values (HC3)",
            _ => string.Create(c, $"the cluster-robust sandwich over {groups!.Distinct().Count()} clusters, scaled by G/(G − 1)·(n − 1)/(n − k)"),
        };
        string weights = sampleWeight == null ? "" : string.Create(c,
            $" Sample weights are frequency weights: row i counts as wᵢ identical observations (n = Σw = {sampleWeight.Sum():G6} over {m} rows), as statsmodels' GLM freq_weights. Survey (probability) weights would need scores multiplied by wᵢ in the meat, which is not what is computed.");
        return $"Standard errors from {what}.{weights}";
    }

    /// <summary>
    /// The rows, the model shape and its free coordinates: all of θ for a binary model and for an L2 softmax
    /// (whose one flat direction, the common intercept shift, is handled by the augmentation below), and only the
    /// classes 1..K−1 for an unpenalised softmax (class 0 fixed at zero: the identified model).
    /// </summary>
    private sealed class Problem : IDisposable
    {
        private readonly double[] _x;
        private readonly int[] _y;
        private readonly int _m, _d, _k;
        private readonly Penalty _penalty;
        private readonly string[] _names;
        private readonly int[] _free;               // free coordinate i → index in θ
        private readonly bool _augment;             // L2 softmax: add c·eeᵀ for the intercept-shift direction e
        private readonly bool _intercept;           // false: the intercepts are held at zero and reported nowhere
        private readonly LinearModelObjective _objective;
        private readonly FreeCoordinates _restricted;
        private readonly double[]? _w;

        public Problem(double[] x, int[] y, int m, int d, int k, Penalty penalty, string[] names, bool intercept, double[]? weights)
        {
            this._intercept = intercept;
            this._w = weights;
            this._x = x;
            this._y = y;
            this._m = m;
            this._d = d;
            this._k = k;
            this._penalty = penalty;
            this._names = names;
            bool identified = k > 1 && penalty.Kind == PenaltyKind.None;
            var indices = new List<int>();
            for (int c = identified ? 1 : 0; c < k; c++)
            {
                for (int j = 0; j < d; j++) indices.Add(c * d + j);
            }
            if (intercept)
            {
                for (int c = identified ? 1 : 0; c < k; c++) indices.Add(k * d + c);
            }
            _free = indices.ToArray();
            _augment = k > 1 && !identified && intercept;
            _objective = NewObjective(penalty);
            _restricted = new FreeCoordinates(_objective, _free, (identified ? k - 1 : k) * d);
        }

        public int NFree => _free.Length;

        /// <summary>The objective on the rows; the tensors made for it live only in this scope.</summary>
        private LinearModelObjective NewObjective(Penalty of)
        {
            using var scope = NewDisposeScope();
            var xt = tensor(_x, new long[] { _m, _d }, ScalarType.Float64);
            var yt = tensor(_y.Select(v => (long)v).ToArray(), ScalarType.Int64);
            return new LinearModelObjective(xt, yt, _k, of, _w == null ? null : tensor(_w, ScalarType.Float64));
        }

        public void Dispose() => _objective.Dispose();

        public double[] FreeFromTheta(double[] theta)
        {
            var t = (double[])theta.Clone();
            if (_k > 1 && _penalty.Kind == PenaltyKind.None)
            {
                // The softmax is unchanged by subtracting class 0's parameters from every class.
                for (int c = _k - 1; c >= 0; c--)
                {
                    for (int j = 0; j < _d; j++) t[c * _d + j] -= theta[j];
                    t[_k * _d + c] -= theta[_k * _d];
                }
            }
            return _free.Select(i => t[i]).ToArray();
        }

        public double[] ThetaFromFree(double[] u) => _restricted.Embed(u);

        /// <summary>m·∇²F restricted to the free coordinates, plus c·eeᵀ for an L2 softmax.</summary>
        public double[] FreeHessian(double[] theta)
        {
            double[] result = _restricted.Hessian(_restricted.Restrict(theta));
            int n = _free.Length;
            for (int a = 0; a < result.Length; a++) result[a] *= _m;
            if (_augment)
            {
                // e = (0…0, 1…1)/√K over the intercepts; c = their mean curvature keeps the scaling sensible.
                double c = 0;
                for (int a = _k * _d; a < n; a++) c += result[a * n + a];
                c /= _k;
                for (int a = _k * _d; a < n; a++)
                {
                    for (int b = _k * _d; b < n; b++) result[a * n + b] += c / _k;
                }
            }
            return result;
        }

        /// <summary>
        /// <see cref="global::TorchLogistic.Optim.Newton"/> (exact Hessian, Cholesky, Armijo backtracking) on the free coordinates from
        /// <paramref name="u0"/>, until a step is at rounding level: inference wants the optimum itself, and under
        /// quasi-separation the gradient vanishes while the steps stay large, so the step, not the gradient, decides.
        /// </summary>
        public (double[] U, int Steps, bool Converged) Newton(double[] u0)
        {
            var solver = new global::TorchLogistic.Optim.Newton();
            solver.Begin(_restricted, u0);
            for (int step = 1; step <= MaxNewtonSteps; step++)
            {
                var before = (double[])solver.Theta.Clone();
                try
                {
                    solver.Step();
                }
                catch (InvalidOperationException)
                {
                    return (before, step, false);
                }
                if (solver.Stalled is not null)
                {
                    // No step decreases F: the optimum to rounding if the gradient is at rounding level, else trouble.
                    return (solver.Theta, step, solver.Criterion <= 1e-10 * (1 + Math.Abs(solver.Objective)));
                }
                double size = 0, scale = 1;
                for (int a = 0; a < before.Length; a++)
                {
                    size = Math.Max(size, Math.Abs(solver.Theta[a] - before[a]));
                    scale = Math.Max(scale, 1 + Math.Abs(before[a]));
                }
                if (!double.IsFinite(size)) return (before, step, false);
                if (size <= 1e-10 * scale) return (solver.Theta, step, true);
            }
            return (solver.Theta, MaxNewtonSteps, false);
        }

        /// <summary>The reported coefficients (equation-major, each [const, features]) and their covariance.</summary>
        public (double[] Coef, double[,] Covariance) Report(double[] theta, double[] freeCovariance)
        {
            int o = _intercept ? 1 : 0, p = _d + o, equations = _k == 1 ? 1 : _k - 1, n = _free.Length, r = equations * p;
            // A: reported ← θ.  Binary: (b, w), or w alone without an intercept.  Softmax: contrasts with class 0.
            var a = new double[r, _k * (_d + 1)];
            for (int e = 0; e < equations; e++)
            {
                int c = _k == 1 ? 0 : e + 1;
                if (_intercept) a[e * p, _k * _d + c] = 1;
                for (int j = 0; j < _d; j++) a[e * p + o + j, c * _d + j] = 1;
                if (_k > 1)
                {
                    if (_intercept) a[e * p, _k * _d] -= 1;
                    for (int j = 0; j < _d; j++) a[e * p + o + j, j] -= 1;
                }
            }
            var coefficients = new double[r];
            for (int i = 0; i < r; i++)
            {
                for (int t = 0; t < theta.Length; t++) coefficients[i] += a[i, t] * theta[t];
            }
            // B = A restricted to the free coordinates (θ = embedding of u), then Σ = B Σᵤ Bᵀ.
            var bt = new double[r, n];
            for (int i = 0; i < r; i++)
            {
                for (int j = 0; j < n; j++) bt[i, j] = a[i, _free[j]];
            }
            var tmp = new double[r, n];
            for (int i = 0; i < r; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (bt[i, j] == 0) continue;
                    for (int l = 0; l < n; l++) tmp[i, l] += bt[i, j] * freeCovariance[j * n + l];
                }
            }
            var cov = new double[r, r];
            for (int i = 0; i < r; i++)
            {
                for (int j = 0; j < r; j++)
                {
                    double s = 0;
                    for (int l = 0; l < n; l++) s += tmp[i, l] * bt[j, l];
                    cov[i, j] = s;
                }
            }
            return (coefficients, cov);
        }

        public double LogLikelihood(double[] theta)
        {
            if (_penalty.Kind == PenaltyKind.None) return -_m * _objective.Value(theta);
            using var none = NewObjective(Penalty.None);
            return -_m * none.Value(theta);
        }

        public double NullLogLikelihood()
        {
            int classes = _k == 1 ? 2 : _k;
            var counts = new double[classes];
            for (int i = 0; i < _m; i++) counts[_y[i]] += _w?[i] ?? 1;
            double total = counts.Sum();
            return counts.Where(c => c > 0).Sum(c => c * Math.Log(c / total));
        }

        /// <summary>Class probabilities of each row, row-major <c>(m, K)</c> (K = 2 for a binary model).</summary>
        private double[] Probabilities(double[] theta)
        {
            var z = Logits(theta);
            int classes = _k == 1 ? 2 : _k;
            var p = new double[_m * classes];
            for (int i = 0; i < _m; i++)
            {
                if (_k == 1)
                {
                    double p1 = 1 / (1 + Math.Exp(-z[i]));
                    p[2 * i] = 1 - p1;
                    p[2 * i + 1] = p1;
                    continue;
                }
                double max = double.NegativeInfinity, sum = 0;
                for (int c = 0; c < _k; c++) max = Math.Max(max, z[i * _k + c]);
                for (int c = 0; c < _k; c++) sum += p[i * _k + c] = Math.Exp(z[i * _k + c] - max);
                for (int c = 0; c < _k; c++) p[i * _k + c] /= sum;
            }
            return p;
        }

        /// <summary>Per-row scores sᵢ = ∂ln p(yᵢ|xᵢ)/∂u in the free coordinates (unweighted), row-major <c>(m, n)</c>: (1[yᵢ = c] − p_ic)·x̃ᵢⱼ.</summary>
        public double[] Scores(double[] theta)
        {
            var p = Probabilities(theta);
            int classes = _k == 1 ? 2 : _k, n = _free.Length;
            var s = new double[_m * n];
            for (int i = 0; i < _m; i++)
            {
                for (int a = 0; a < n; a++)
                {
                    int t = _free[a];
                    int c = t < _k * _d ? t / _d : t - _k * _d;
                    double x = t < _k * _d ? _x[i * _d + t % _d] : 1;
                    int cls = _k == 1 ? 1 : c;
                    s[i * n + a] = ((_y[i] == cls ? 1 : 0) - p[i * classes + cls]) * x;
                }
            }
            return s;
        }

        /// <summary>Hat values of the weighted fit of a binary model, hᵢ = pᵢ(1 − pᵢ)·x̃ᵢᵀ H⁻¹ x̃ᵢ (per replicate of a frequency-weighted row).</summary>
        public double[] Leverage(double[] theta, double[] inverse)
        {
            var p = Probabilities(theta);
            int n = _free.Length;
            var h = new double[_m];
            var xt = new double[n];
            for (int i = 0; i < _m; i++)
            {
                for (int j = 0; j < _d; j++) xt[j] = _x[i * _d + j];
                if (_intercept) xt[_d] = 1;
                double q = 0;
                for (int a = 0; a < n; a++)
                {
                    double row = 0;
                    for (int b = 0; b < n; b++) row += inverse[a * n + b] * xt[b];
                    q += xt[a] * row;
                }
                h[i] = p[2 * i + 1] * p[2 * i] * q;
            }
            return h;
        }

        /// <summary>Linear predictors Z = X Wᵀ + b, row-major <c>(m, k)</c>.</summary>
        private double[] Logits(double[] theta) => _objective.Logits(theta);

        private bool RowCorrect(double[] z, int i, double margin)
        {
            if (_k == 1) return _y[i] == 1 ? z[i] > margin : z[i] < -margin;
            for (int c = 0; c < _k; c++)
            {
                if (c != _y[i] && !(z[i * _k + _y[i]] - z[i * _k + c] > margin)) return false;
            }
            return true;
        }

        /// <summary>The refusal when <paramref name="theta"/> classifies every row correctly, else null.</summary>
        public InferenceRefusal? CompleteSeparation(double[] theta)
        {
            var z = Logits(theta);
            for (int i = 0; i < _m; i++)
            {
                if (!RowCorrect(z, i, 0)) return null;
            }
            var alone = SingleFeatureSeparators(strict: true);
            string modelName = _k == 1 ? "logistic regression" : "softmax regression";
            string which = alone.Count > 0
                ? $" Feature{(alone.Count > 1 ? "s" : "")} {Quote(alone)} {(alone.Count > 1 ? "each separate" : "separates")} the classes on {(alone.Count > 1 ? "their" : "its")} own."
                : $" Features most involved in the separating direction: {Quote(LargestSlopes(theta))}.";
            var involved = alone.Count > 0 ? alone : LargestSlopes(theta);
            return new InferenceRefusal(RefusalReason.CompleteSeparation,
                $"Inference refused: complete separation. The fitted {modelName} classifies every one of the {_m} training rows correctly, so a linear " +
                "combination of the features separates the classes perfectly. The log-likelihood then keeps rising as the coefficients grow without " +
                "bound: the maximum-likelihood estimates do not exist, and standard errors, z-values and p-values would be meaningless." + which +
                $" Fix: use an L2 penalty (TrainingOptions.Penalty = L2), whose optimum is finite, or drop or merge the separating feature{(involved.Count > 1 ? "s" : "")} ({Quote(involved)})." +
                (_k == 1 ? " Firth's penalised likelihood (FirthLogit.Fit) gives finite estimates with standard errors." : ""),
                involved);
        }

        /// <summary>The refusal when the features are collinear (a singular Gram matrix of [1, X]), else null.</summary>
        public InferenceRefusal? Collinearity()
        {
            // Gram matrix of X̃ = [1, X] (X without an intercept): singular exactly when a feature is constant
            // (with an intercept) or a combination of others.
            int o = _intercept ? 1 : 0, p = _d + o;
            var gram = new double[p * p];
            for (int i = 0; i < _m; i++)
            {
                for (int a = 0; a < p; a++)
                {
                    double xa = a < o ? 1 : _x[i * _d + a - o];
                    for (int b = 0; b < p; b++) gram[a * p + b] += xa * (b < o ? 1 : _x[i * _d + b - o]);
                }
            }
            var inverse = SymmetricInverse.Of(gram, p);
            if (!inverse.IsSingular) return null;
            var v = inverse.ScaledEigenvectors;
            double largest = Enumerable.Range(0, p).Max(a => Math.Abs(v[a * p]));
            var involved = Enumerable.Range(o, _d).Where(a => Math.Abs(v[a * p]) >= 0.1 * largest).OrderByDescending(a => Math.Abs(v[a * p])).Select(a => _names[a - o]).ToList();
            bool withIntercept = _intercept && Math.Abs(v[0]) >= 0.1 * largest;
            return new InferenceRefusal(RefusalReason.SingularInformation,
                "Inference refused: the observed information matrix is singular because the features are collinear" +
                $" ({Quote(involved)}{(withIntercept ? " together with the intercept: a constant or shifted copy" : "")} are linearly dependent; reciprocal condition number " +
                $"{inverse.ReciprocalCondition.ToString("E1", CultureInfo.InvariantCulture)}). Their coefficients are not identified, so no standard errors exist. " +
                $"Fix: drop one of {Quote(involved)} (or merge them), or use an L2 penalty (TrainingOptions.Penalty = L2).", involved);
        }

        /// <summary>The refusal for quasi-complete separation, naming the rows and the features involved.</summary>
        public InferenceRefusal QuasiSeparation(double[] thetaHat, double[] u0, double[] u, bool converged)
        {
            var z = Logits(thetaHat);
            int saturated = 0;
            for (int i = 0; i < _m; i++)
            {
                if (RowCorrect(z, i, -Math.Log(SaturationGap))) saturated++;
            }
            var direction = ThetaFromFree(u.Select((v, i) => v - u0[i]).ToArray());
            if (!direction.Any(v => v != 0) || !direction.All(double.IsFinite)) direction = thetaHat;
            var alone = SingleFeatureSeparators(strict: false);
            var involved = alone.Count > 0 ? alone : LargestSlopes(direction);
            return new InferenceRefusal(RefusalReason.QuasiCompleteSeparation,
                $"Inference refused: quasi-complete separation. {saturated} of the {_m} training rows are predicted with probability within {SaturationGap:0e0} of their " +
                $"class, and Newton's method {(converged ? "ends at a singular information matrix" : "does not converge")}: the coefficients keep growing along a direction that " +
                "classifies those rows without error (a class, or a group of rows, is separated perfectly while the rest overlap). The maximum-likelihood estimates do " +
                $"not exist, so standard errors, z-values and p-values would be meaningless. Features most involved: {Quote(involved)}. " +
                $"Fix: use an L2 penalty (TrainingOptions.Penalty = L2), or drop or merge {(involved.Count > 1 ? "these features" : "this feature")}." +
                (_k == 1 ? " Firth's penalised likelihood (FirthLogit.Fit) gives finite estimates with standard errors." : ""), involved);
        }

        /// <summary>Features that order the rows of some class entirely above (or below) every other row.</summary>
        private List<string> SingleFeatureSeparators(bool strict)
        {
            var result = new List<string>();
            int classes = _k == 1 ? 2 : _k;
            for (int j = 0; j < _d; j++)
            {
                for (int c = 0; c < classes; c++)
                {
                    double inMin = double.PositiveInfinity, inMax = double.NegativeInfinity, outMin = double.PositiveInfinity, outMax = double.NegativeInfinity;
                    for (int i = 0; i < _m; i++)
                    {
                        double v = _x[i * _d + j];
                        if (_y[i] == c) { inMin = Math.Min(inMin, v); inMax = Math.Max(inMax, v); }
                        else { outMin = Math.Min(outMin, v); outMax = Math.Max(outMax, v); }
                    }
                    bool separates = strict ? inMin > outMax || inMax < outMin : inMin >= outMax || inMax <= outMin;
                    if (separates && Math.Min(inMin, outMin) < Math.Max(inMax, outMax))
                    {
                        result.Add(_names[j]);
                        break;
                    }
                }
            }
            return result;
        }

        /// <summary>Features whose slopes in <paramref name="direction"/>, times their spread, are at least a fifth of the largest.</summary>
        private List<string> LargestSlopes(double[] direction)
        {
            var size = new double[_d];
            for (int j = 0; j < _d; j++)
            {
                double mean = 0, sq = 0;
                for (int i = 0; i < _m; i++) mean += _x[i * _d + j];
                mean /= _m;
                for (int i = 0; i < _m; i++) sq += (_x[i * _d + j] - mean) * (_x[i * _d + j] - mean);
                double sd = Math.Sqrt(sq / _m);
                double s = 0;
                for (int c = 0; c < _k; c++)
                {
                    double w = direction[c * _d + j] - (_k > 1 ? direction.Where((_, t) => t < _k * _d && t % _d == j).Average() : 0);
                    s += w * w;
                }
                size[j] = Math.Sqrt(s) * sd;
            }
            double largest = size.Max();
            return Enumerable.Range(0, _d).Where(j => size[j] >= 0.2 * largest && size[j] > 0).OrderByDescending(j => size[j]).Take(5).Select(j => _names[j]).ToList();
        }

        private static string Quote(IReadOnlyList<string> features) => string.Join(", ", features.Select(f => $"'{f}'"));
    }
}
