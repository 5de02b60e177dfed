namespace TorchLogistic.Optim;

/// <summary>
/// Which solver minimises the objective. The text each one goes by on the command line, in model files,
/// metrics.json and optima.json ("gd", "newton-cg", ...) is in one table, <see cref="SolverRegistry.Solvers"/>;
/// <see cref="SolverRegistry.NameOf"/> and <see cref="SolverRegistry.Parse"/> convert.
/// </summary>
public enum SolverKind
{
    /// <summary>Chosen by penalty and problem size (the default, see <see cref="SolverRegistry.Resolve"/>); "auto".</summary>
    Auto,
    /// <summary>Gradient descent with a fixed step; "gd".</summary>
    Gd,
    /// <summary>Gradient descent with step 1/L from the data's Lipschitz bound; "gd-lipschitz".</summary>
    GdLipschitz,
    /// <summary>AdaGrad, full batch; "adagrad".</summary>
    Adagrad,
    /// <summary>Mini-batch stochastic gradient descent; "sgd".</summary>
    Sgd,
    /// <summary>Newton–Raphson/IRLS with the exact Hessian; "newton".</summary>
    Newton,
    /// <summary>Truncated Newton with Hessian-vector products; "newton-cg".</summary>
    NewtonCg,
    /// <summary>Truncated Newton with CG preconditioned by Böhning's curvature bound; "newton-pcg".</summary>
    NewtonPcg,
    /// <summary>Truncated Newton with CG preconditioned by the Hessian on the features' leading principal subspace and Böhning's bound elsewhere; "newton-subspace".</summary>
    NewtonSubspace,
    /// <summary>Truncated Newton with CG preconditioned by the Cholesky factor of an exact Hessian, refreshed when CG needs many products; "newton-hcg".</summary>
    NewtonHcg,
    /// <summary>L-BFGS with a strong-Wolfe line search; "lbfgs".</summary>
    Lbfgs,
    /// <summary>L-BFGS started from Böhning's curvature bound; "lbfgs-precond".</summary>
    LbfgsPrecond,
    /// <summary>Accelerated proximal gradient; "fista".</summary>
    Fista,
    /// <summary>Orthant-wise L-BFGS; "owlqn".</summary>
    OwlQn,
}
