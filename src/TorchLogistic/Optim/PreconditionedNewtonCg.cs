using TorchLogistic.Objectives;

namespace TorchLogistic.Optim;

/// <summary>
/// Truncated Newton with preconditioned conjugate gradients (<c>newton-pcg</c>): the Newton system
/// <c>∇²f·d = −∇f</c> is solved by CG on Hessian-vector products, preconditioned by the objective's fixed M⁻¹ (for
/// linear models the inverse of Böhning's curvature bound, <see cref="CurvatureBoundPreconditioner"/>), stopped when
/// the residual is below <c>η‖∇f‖</c> with a constant forcing term η (<see cref="DefaultForcing"/>, LIBLINEAR's
/// truncated Newton uses 0.1) or at non-positive curvature, then a backtracking Armijo line search from t = 1.
/// M captures what makes raw features ill-conditioned (scales, means, correlated pixels), so CG needs a few tens of
/// products per Newton step where plain CG (<c>newton-cg</c>) needs hundreds; each product is one pass over the
/// data (the fused float32 softmax kernel keeps the probabilities of the last gradient pass). On an objective
/// without a preconditioner it is Newton-CG with the constant forcing term. Smooth objectives only. Criterion: ‖∇f‖∞.
/// <see cref="Solver.HessianEvaluations"/> counts the Hessian-vector products.
/// <para>
/// With a subspace rank r &gt; 0 (<c>newton-subspace</c>, on an <see cref="ISubspacePreconditionedObjective"/>), M is
/// refreshed at every Newton step (rebuilt once the rows' curvature has moved, see
/// <see cref="SubspaceCurvaturePreconditioner.DefaultRebuildChange"/>): the Hessian at θ on the features' r leading principal components (all K classes
/// coupled, from a subsample of rows) and the bound on the rest (<see cref="SubspaceCurvaturePreconditioner"/>).
/// </para>
/// </summary>
public sealed class PreconditionedNewtonCg : Solver
{
    /// <summary>The default forcing term η: CG stops once ‖r‖ ≤ η‖∇f‖.</summary>
    public const double DefaultForcing = 0.1;

    /// <summary>
    /// The forcing term of <c>newton-subspace</c> as the registry makes it: 0.3. Its M is close to the Hessian where
    /// the Hessian is large, so a loose solve already gives a good step, and tighter ones buy little progress per step:
    /// Fashion-MNIST softmax (C = 1) to F*(1 + 1e-6), η = 0.05: 242 products in 11 Newton steps; 0.1: 132 in 11; 0.2: 103
    /// in 11; 0.3: 87 in 12; 0.5: 87 in 15 (more evaluations).
    /// </summary>
    public const double DefaultSubspaceForcing = 0.3;

    /// <summary>
    /// The refresh threshold of <c>newton-subspace</c> as the registry makes it (<c>subspaceRefreshAfter</c>): 3 — refresh
    /// the subspace curvature only after a Newton step whose conjugate gradients needed more than three products. Why: a
    /// rebuild of H_r costs 1.5–3 evaluations of multiply-adds and about five Hessian-vector products of time, while the
    /// first Newton steps of a fit take two to four products each whatever M is, so rebuilding before each of them bought
    /// nothing; later steps take 7–20 and do get their rebuilds (the rebuild-change rule still decides whether a refresh
    /// rebuilds). Fashion-MNIST softmax (C = 1, float32) to F*(1 + 1e-6): threshold 0 (every step) 6 builds, 94 products,
    /// 125.3 passes, 0.70 s in refreshes (the basis's ~0.25 s included); 3: 4 builds, 92 products, 117.3 passes, 0.52 s (load 4, one run each); float64
    /// 130.4 → 130.3 passes; C = 0.1: 72.8 → 62 passes; digits: 0.36 → 0.26 s. Thresholds 2, 4 and 6 took 119, 118 and 101
    /// products: where the last rebuild lands moves the late steps' counts by ±15.
    /// </summary>
    public const int DefaultSubspaceRefreshAfter = 3;

    private double[] _gradient = Array.Empty<double>();
    private double[]? _spareGradient;
    private IReadOnlyList<double[]> _nulls = Array.Empty<double[]>();
    private Action<double[], double[]>? _precondition;

    /// <summary>Creates the solver.</summary>
    /// <param name="forcing">η in (0, 1): the relative residual at which CG stops (default <see cref="DefaultForcing"/>).</param>
    /// <param name="maxConjugateGradientIterations">CG iterations per Newton step at most (default 0: max(n, 50)).</param>
    /// <param name="hessianFraction">Fraction of the rows (the first ones) the Hessian-vector products are over, in (0, 1] (default 1: the exact Hessian); below 1 on an <see cref="ISubsampledCurvatureObjective"/> only.</param>
    /// <param name="subspaceRank">r ≥ 0: 0 (default) for the fixed bound (<c>newton-pcg</c>); above, the subspace curvature preconditioner of rank r (<c>newton-subspace</c>).</param>
    /// <param name="subspaceRows">Rows of the subsample the subspace curvature is estimated on (default <see cref="SubspaceCurvaturePreconditioner.DefaultRows"/>).</param>
    /// <param name="subspaceRefreshAfter">
    /// With a subspace rank: 0 (default) rebuilds the subspace curvature at every Newton step; n &gt; 0 only at a run's
    /// first step and after a step whose conjugate gradients needed more than n products (the curvature of the last
    /// refresh still preconditions well while θ moves little, as late in a fit and along a warm-started path).
    /// </param>
    /// <param name="keepBasis">
    /// With a subspace rank: keep the subspace (the eigendecomposition of the features' second moments, which depends on
    /// the rows only) from one run to the next, for a solver reused along a path of fits on the same rows — cross-validation's
    /// warm-started C path of a fold — so it is built once per fold instead of once per C. Runs on other rows must not
    /// share such a solver (a basis of another size is ignored, one of the same size is not detected).
    /// </param>
    public PreconditionedNewtonCg(double forcing = DefaultForcing, int maxConjugateGradientIterations = 0, double hessianFraction = 1,
        int subspaceRank = 0, int subspaceRows = SubspaceCurvaturePreconditioner.DefaultRows, bool keepBasis = false, int subspaceRefreshAfter = 0)
    {
        if (subspaceRefreshAfter < 0) throw new ArgumentOutOfRangeException(nameof(subspaceRefreshAfter), subspaceRefreshAfter, $"The refresh threshold {subspaceRefreshAfter} must be ≥ 0 (0: every Newton step).");
        this.SubspaceRefreshAfter = subspaceRefreshAfter;
        this.KeepBasis = keepBasis;
        if (subspaceRank < 0) throw new ArgumentOutOfRangeException(nameof(subspaceRank), subspaceRank, $"The subspace rank {subspaceRank} must be ≥ 0 (0: the fixed bound).");
        if (subspaceRows < 1) throw new ArgumentOutOfRangeException(nameof(subspaceRows), subspaceRows, $"The subspace preconditioner's subsample needs at least one row; got {subspaceRows}.");
        this.SubspaceRank = subspaceRank;
        this.SubspaceRows = subspaceRows;
        if (!(hessianFraction > 0 && hessianFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(hessianFraction), hessianFraction, $"The Hessian's row fraction {hessianFraction} must be in (0, 1].");
        this.HessianFraction = hessianFraction;
        if (!(forcing > 0 && forcing < 1)) throw new ArgumentOutOfRangeException(nameof(forcing), forcing, $"The forcing term {forcing} must be in (0, 1) (try {DefaultForcing}).");
        if (maxConjugateGradientIterations < 0) throw new ArgumentOutOfRangeException(nameof(maxConjugateGradientIterations), maxConjugateGradientIterations, $"max_cg = {maxConjugateGradientIterations} must be ≥ 0 (0 chooses automatically).");
        this.Forcing = forcing;
        this.MaxConjugateGradientIterations = maxConjugateGradientIterations;
    }

    /// <summary>η: CG stops once ‖r‖ ≤ η‖∇f‖.</summary>
    public double Forcing { get; }

    /// <summary>CG iterations per Newton step at most (0: max(n, 50)).</summary>
    public int MaxConjugateGradientIterations { get; }

    /// <summary>Fraction of the rows the Hessian-vector products are over (1: all).</summary>
    public double HessianFraction { get; }

    /// <summary>r: the subspace curvature preconditioner's rank (0: the fixed bound).</summary>
    public int SubspaceRank { get; }

    /// <summary>Rows of the subsample the subspace curvature is estimated on.</summary>
    public int SubspaceRows { get; }

    /// <summary>0: the subspace curvature is rebuilt every Newton step; n: only after a step that needed more than n products (and at a run's first).</summary>
    public int SubspaceRefreshAfter { get; }

    /// <summary>Subspace curvature refreshes so far (over all runs of this instance).</summary>
    public int SubspaceRefreshes { get; private set; }

    private int _lastProducts = -1;

    /// <summary>Whether the subspace's basis is kept from run to run (see the constructor).</summary>
    public bool KeepBasis { get; }

    private SubspaceBasis? _basis;

    private long _curvatureRows;
    private ISubsampledCurvatureObjective? _subsampled;
    private ISubspacePreconditionedObjective? _subspace;

    /// <inheritdoc />
    public override SolverKind Kind => SubspaceRank > 0 ? SolverKind.NewtonSubspace : SolverKind.NewtonPcg;

    /// <inheritdoc />
    protected override void Initialize()
    {
        if (!F.IsHessianSupported)
            throw new ArgumentException($"Solver '{SolverRegistry.NameOf(Kind)}' needs Hessian-vector products; use lbfgs.");
        _nulls = F.NullDirections;
        _subspace = null;
        _lastProducts = -1;
        if (SubspaceRank > 0)
        {
            _subspace = F as ISubspacePreconditionedObjective
                ?? throw new ArgumentException("Solver 'newton-subspace' needs an objective that preconditions with its subspace curvature (ISubspacePreconditionedObjective, dense features); use newton-pcg.");
            _precondition = _subspace.ApplySubspacePreconditioner;
            if (KeepBasis && _basis is not null && F is ISubspaceBasisHolder holder) holder.SubspaceBasis = _basis;
        }
        else
        {
            _precondition = F is IPreconditionedObjective p ? p.Precondition : null;
        }
        _subsampled = null;
        if (HessianFraction < 1)
        {
            _subsampled = F as ISubsampledCurvatureObjective
                ?? throw new ArgumentException("A subsampled Hessian needs an objective whose Hessian-vector products can be over a subset of rows (ISubsampledCurvatureObjective).");
            _curvatureRows = Math.Clamp((long)Math.Ceiling(HessianFraction * _subsampled.SampleCount), 1, _subsampled.SampleCount);
        }
        _gradient = new double[Theta.Length];
        Objective = Evaluate(Theta, _gradient);
        Criterion = Measure(Theta, _gradient);
    }

    /// <inheritdoc />
    public override void Step()
    {
        if (_subspace is not null && (SubspaceRefreshAfter == 0 || _lastProducts < 0 || _lastProducts > SubspaceRefreshAfter))
        {
            _subspace.RefreshSubspacePreconditioner(Theta, SubspaceRank, SubspaceRows);
            SubspaceRefreshes++;
        }
        int before = HessianEvaluations;
        if (KeepBasis && _subspace is ISubspaceBasisHolder built) _basis = built.SubspaceBasis ?? _basis;
        // The gradient this step replaces is the next line search's buffer (a fresh one would be a large-object allocation).
        var next = DescendAlong(ConjugateGradient(Theta.Length), _gradient, _nulls, _spareGradient);
        if (!ReferenceEquals(next, _gradient)) _spareGradient = _gradient;
        _gradient = next;
        _lastProducts = HessianEvaluations - before;
    }

    /// <summary>M⁻¹r into <paramref name="z"/> (cleared first: a preconditioner may add into its result).</summary>
    private double[] Preconditioned(double[] r, double[] z)
    {
        if (_precondition is null)
        {
            r.CopyTo(z, 0);
            return z;
        }
        Array.Clear(z);
        _precondition(r, z);
        NullSpace.ProjectOut(z, _nulls);
        return z;
    }

    // CG's vectors, kept from step to step: on a wide problem each fresh one is a large-object allocation whose pages
    // fault on first write (46 of them cost 7–30 ms of CPU on rcv1-like, as much as two passes over the data).
    private double[][] _cg = Array.Empty<double[]>();

    private double[] ConjugateGradient(int n)
    {
        if (_cg.Length == 0 || _cg[0].Length != n) _cg = [new double[n], new double[n], new double[n], new double[n], new double[n]];
        var d = _cg[0];
        Array.Clear(d);
        var r = _cg[1];
        for (int j = 0; j < n; j++) r[j] = -_gradient[j];
        NullSpace.ProjectOut(r, _nulls);
        var z = Preconditioned(r, _cg[2]);
        var p = _cg[3];
        z.CopyTo(p, 0);
        var hp = _cg[4];
        double rz = VectorMath.Dot(r, z);
        double target = Forcing * Math.Sqrt(VectorMath.Dot(r, r));
        int limit = MaxConjugateGradientIterations > 0 ? MaxConjugateGradientIterations : Math.Max(n, 50);
        for (int i = 0; i < limit; i++)
        {
            if (_subsampled is null) F.HessianVectorProduct(Theta, p, hp);
            else _subsampled.HessianVectorProduct(Theta, p, hp, _curvatureRows);
            HessianEvaluations++;
            double curvature = VectorMath.Dot(p, hp);
            if (!(curvature > 0))
            {
                // Negative or zero curvature: stop; the first iteration falls back to the preconditioned gradient.
                if (i == 0) return z;
                break;
            }
            double alpha = rz / curvature;
            VectorMath.Axpy(alpha, p, d);
            VectorMath.Axpy(-alpha, hp, r);
            if (Math.Sqrt(VectorMath.Dot(r, r)) <= target) break;
            z = Preconditioned(r, z);
            double rzNew = VectorMath.Dot(r, z);
            double beta = rzNew / rz;
            rz = rzNew;
            VectorMath.AddScaled(z, beta, p);
        }
        return d;
    }
}
