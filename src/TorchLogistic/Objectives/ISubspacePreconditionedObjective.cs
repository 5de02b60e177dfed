namespace TorchLogistic.Objectives;

/// <summary>
/// An objective that can precondition with its own curvature at a point on a low-dimensional subspace and a fixed
/// bound elsewhere (for linear models <see cref="SubspaceCurvaturePreconditioner"/>), refreshed by a truncated Newton
/// solver once per Newton step (which may keep the last factor when the curvature has barely moved) and applied at every conjugate-gradient iteration (<c>newton-subspace</c>). The cost of
/// building and refreshing it is added to the objective's pass count, in units of one value-and-gradient evaluation.
/// </summary>
public interface ISubspacePreconditionedObjective : IObjective
{
    /// <summary>Builds M at θ (the subspace once, its curvature at every call).</summary>
    /// <param name="theta">θ = [vec(W); b].</param>
    /// <param name="rank">r: the subspace's dimension per output.</param>
    /// <param name="rows">Rows of the subsample the curvature is estimated on.</param>
    void RefreshSubspacePreconditioner(double[] theta, int rank, int rows);

    /// <summary>result = M⁻¹ v with the M of the last <see cref="RefreshSubspacePreconditioner"/>.</summary>
    /// <param name="v">A vector in θ layout.</param>
    /// <param name="result">Receives M⁻¹ v; same length.</param>
    void ApplySubspacePreconditioner(double[] v, double[] result);
}
