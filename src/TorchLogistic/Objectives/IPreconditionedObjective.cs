namespace TorchLogistic.Objectives;

/// <summary>
/// An objective that offers a fixed, cheap approximation M⁻¹ of its inverse Hessian (for example the inverse of a
/// curvature bound), for quasi-Newton methods to start from instead of a multiple of the identity.
/// </summary>
public interface IPreconditionedObjective : IObjective
{
    /// <summary>result = M⁻¹ v, with M symmetric positive definite (or semidefinite on directions where F is flat).</summary>
    /// <param name="v">A vector in θ layout.</param>
    /// <param name="result">Receives M⁻¹ v; same length.</param>
    void Precondition(double[] v, double[] result);
}
