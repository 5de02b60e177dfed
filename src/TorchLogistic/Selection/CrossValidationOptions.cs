namespace TorchLogistic.Selection;

/// <summary>What a cross-validated choice of C (and l1_ratio) searches and how it scores.</summary>
public sealed record CrossValidationOptions
{
    /// <summary>scikit-learn's <c>LogisticRegressionCV</c> default grid: 10 values log-spaced over 1e-4 … 1e4.</summary>
    public static double[] DefaultCs => RegularizationPath.LogGrid(1e-4, 1e4, 10);

    /// <summary>Number of folds K (default 5); ignored when <see cref="FoldAssignment"/> is given.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>The grid of C, each finite and &gt; 0 (default <see cref="DefaultCs"/>); fitted in increasing order, each fold's path warm-started.</summary>
    public IReadOnlyList<double> Cs { get; init; } = DefaultCs;

    /// <summary>Elastic net: the grid of l1_ratio, each in [0, 1] (default: the options' own l1_ratio only).</summary>
    public IReadOnlyList<double>? L1Ratios { get; init; }

    /// <summary>How each held-out fold is scored (default log loss).</summary>
    public CrossValidationScoring Scoring { get; init; } = CrossValidationScoring.LogLoss;

    /// <summary>Seed of the stratified fold assignment (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>The fold (0 … K−1) of every training row, instead of drawing one (scikit-learn's <c>PredefinedSplit</c>); null draws stratified folds.</summary>
    public int[]? FoldAssignment { get; init; }

    /// <summary>Folds fitted at the same time (default: the cores, at most K); 1 fits them one after another.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Tolerance of every fold's fit (default <see cref="DefaultTolerance"/> = 1e-10); null uses the training options'
    /// <see cref="Training.TrainingOptions.Tolerance"/>. The refit uses the training options' own.
    /// </summary>
    public double? Tolerance { get; init; } = DefaultTolerance;

    /// <summary>
    /// 1e-10: at large C a held-out score moves far more than the training objective near the optimum (the
    /// Hessian's smallest eigenvalue is about 1/(C·m)). On digits (softmax, 5 folds, C = 1e4) the held-out log loss at
    /// ‖∇F‖∞ ≤ 1e-6 is still 1.3e-2 (newton-cg) to 1.5e-2 (lbfgs) from the optimum's; at 1e-10 it is within 1e-7. With
    /// the second-order solvers <see cref="SolverFor"/> picks, tightening 1e-6 → 1e-10 costs about one iteration per C.
    /// </summary>
    public const double DefaultTolerance = 1e-10;

    /// <summary>
    /// Largest parameter count K·(d+1) for which <see cref="SolverFor"/> picks <c>newton</c> (a dense Hessian and a
    /// Cholesky per iteration); above it <c>newton-cg</c>. Newton's cost hardly depends on the conditioning, Newton-CG's
    /// grows with it: digits' softmax (650 parameters, 5 folds × 10 C, tol 1e-10, two folds at a time, 2 busy cores)
    /// on raw pixels took 19 s of CPU with <c>newton</c> against 66 s with <c>newton-cg</c> (2 pairs); on pixels / 16 (the
    /// benchmark's cv-digits) 17 s against 14 s, and 4.4 s against 3.8 s with 5 of the classes (325 parameters; means of 3 pairs).
    /// So up to 700 (digits and a little more) <c>newton</c>: at worst ~20% slower, at best 3.5× faster. The threshold
    /// used to be 200 because two folds running <c>newton</c> at once failed inside libtorch ("Expected false to be true");
    /// that was TorchSharp freeing implicit Scalars on the garbage collector's finalizer thread mid-op, fixed in the core
    /// (Native/Scalars.cs): 10 such searches now run without a failure where 4 of 6 failed before.
    /// </summary>
    public const int NewtonMaxParameters = 700;

    /// <summary>
    /// Largest parameter count for which <see cref="SolverFor"/> picks <c>newton-hcg</c> (CG preconditioned by the
    /// Cholesky factor of an exact Hessian, refactored only when CG needs many products) above
    /// <see cref="HessianPreconditionedMinParameters"/>; above it <c>newton-cg</c> (an n × n Hessian of 8n² bytes and a Cholesky of
    /// n³/3 operations per refresh: 2 000 parameters are 32 MB and about 0.5 s).
    /// </summary>
    public const int HessianPreconditionedMaxParameters = 2000;

    /// <summary>
    /// Parameter count above which <see cref="SolverFor"/> picks <c>newton-hcg</c> before <c>newton</c> (whose
    /// <see cref="NewtonMaxParameters"/> is larger): with the managed softmax Hessian, digits' fold 0 path (650 parameters,
    /// 10 C, tol 1e-10) took 3.15 s with <c>newton</c> (one Hessian per step) and 1.36 s with <c>newton-hcg</c> in the same
    /// run, before it kept its factor from one C to the next (then 5 Hessians for the path instead of 11). Up to 200
    /// parameters <c>newton</c>, as the tests have run it.
    /// </summary>
    public const int HessianPreconditionedMinParameters = 200;

    /// <summary>
    /// <c>newton-subspace</c> in fold fits rebuilds its subspace curvature only at a fit's first Newton step and after a
    /// step whose conjugate gradients needed more than this many Hessian-vector products (its basis is built once per
    /// fold): on Fashion-MNIST's 2 400-row folds a rebuild (a (2 400, 1 000) Gram product and a 1 000² Cholesky factor)
    /// costs about as much as 40 products.
    /// </summary>
    public const int SubspaceRefreshAfter = 10;

    /// <summary>
    /// The solver of the fold fits: the options' own unless it is <see cref="Optim.SolverKind.Auto"/>; then, for L2 or
    /// no penalty with analytic gradients, a second-order solver — <c>newton</c> up to <see cref="HessianPreconditionedMinParameters"/>
    /// parameters (and <see cref="NewtonMaxParameters"/>), <c>newton-hcg</c> up to <see cref="HessianPreconditionedMaxParameters"/> (its Hessian factor kept along
    /// each fold's path: on digits, 650 parameters, 25 Hessians and 1 260 products for the 50 fits where
    /// <c>newton-cg</c> needed about 15 000 products — 3 073 on fold 0 alone — and <c>newton</c> one Hessian per step), above it
    /// <c>newton-subspace</c> while its basis and subspace Hessian stay small (<see cref="SubspaceMaxFeatures"/>,
    /// <see cref="HessianPreconditionedMaxParameters"/>: Fashion-MNIST's 7 850 parameters), else <c>newton-cg</c> — since along a warm-started path of C each fit needs 3–7 Newton steps to
    /// ‖∇F‖∞ ≤ 1e-10, where lbfgs(-precond) needs hundreds to thousands at large C (digits, C = 1e4: 7 883 iterations);
    /// otherwise what <see cref="Optim.SolverRegistry.Resolve"/> picks (owlqn for L1 and elastic net).
    /// </summary>
    /// <param name="options">The training options.</param>
    /// <param name="parameterCount">K·(d+1) (or K·d without intercept), after expansion.</param>
    /// <param name="featureCount">d after expansion (0: not known — then not <c>newton-subspace</c>).</param>
    /// <param name="outputCount">K: outputs of each fit (1 for binary and one-vs-rest; 0: not known — then not <c>newton-subspace</c>).</param>
    public static Optim.SolverKind SolverFor(Training.TrainingOptions options, long parameterCount, long featureCount = 0, int outputCount = 0) =>
        options.Solver != Optim.SolverKind.Auto || options.Penalty is Objectives.PenaltyKind.L1 or Objectives.PenaltyKind.ElasticNet
            || options.Gradients != Training.GradientMode.Analytic ? options.Solver
        : parameterCount <= Math.Min(NewtonMaxParameters, HessianPreconditionedMinParameters) ? Optim.SolverKind.Newton
        : parameterCount <= HessianPreconditionedMaxParameters ? Optim.SolverKind.NewtonHcg
        : featureCount > 0 && outputCount > 0 && featureCount + 1 <= SubspaceMaxFeatures
            && outputCount * Math.Min(featureCount + 1, Objectives.SubspaceCurvaturePreconditioner.DefaultRank) <= HessianPreconditionedMaxParameters
            ? Optim.SolverKind.NewtonSubspace
        : Optim.SolverKind.NewtonCg;

    /// <summary>
    /// Largest d + 1 for which <see cref="SolverFor"/> picks <c>newton-subspace</c>: its basis is a (d+1)² eigendecomposition
    /// per fold (Fashion-MNIST's 785² took 0.24 s on one thread; 2 048² about 18 times that, and 32 MB), and its subspace
    /// Hessian has K·min(d+1, r) coordinates, at most <see cref="HessianPreconditionedMaxParameters"/> (a Cholesky factor
    /// like newton-hcg's). Wider or many-class problems use <c>newton-cg</c>, which needs no d² storage.
    /// </summary>
    public const int SubspaceMaxFeatures = 2048;

    /// <summary>Keep each fold's held-out logits at every grid point (needed for calibration; default true).</summary>
    public bool KeepOutOfFold { get; init; } = true;
}
