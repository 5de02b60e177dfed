using System.Diagnostics;
using TorchLogistic.Objectives;

namespace TorchLogistic.Performance;

/// <summary>
/// The benchmark's view of a solver's objective: forwards every call to a <see cref="LinearModelObjective"/> and
/// keeps the clock time spent inside passes over the data (values, gradients, Hessian-vector products), so that
/// the rest of a run's time — the solver's own work (two-loop recursions, preconditioner applications, vector
/// updates) — can be printed beside the passes, both in units of the floor. Of that own work it also keeps the time in
/// preconditioner refreshes (building the subspace basis and H_r) and in preconditioner applications, so the bench can
/// say where the own work goes.
/// </summary>
internal sealed class TimedObjective(LinearModelObjective inner) : IPreconditionedObjective, ISubsampledCurvatureObjective, ISubspacePreconditionedObjective
{
    private readonly Stopwatch _inPasses = new();
    private readonly Stopwatch _inRefreshes = new();
    private readonly Stopwatch _inApplications = new();

    /// <summary>Seconds spent inside passes over the data so far.</summary>
    public double PassSeconds => _inPasses.Elapsed.TotalSeconds;

    /// <summary>Seconds spent refreshing the subspace preconditioner so far (its basis and H_r; own work, not passes).</summary>
    public double RefreshSeconds => _inRefreshes.Elapsed.TotalSeconds;

    /// <summary>Seconds spent applying a preconditioner (M⁻¹v) so far (own work; a curvature bound built on its first use included).</summary>
    public double ApplySeconds => _inApplications.Elapsed.TotalSeconds;

    /// <summary>Preconditioner applications so far.</summary>
    public int Applications { get; private set; }

    /// <summary>Passes over all rows so far (<see cref="LinearModelObjective.DataPasses"/>).</summary>
    public double DataPasses => inner.DataPasses;

    public int ParameterCount => inner.ParameterCount;

    public int PenalizedCount => inner.PenalizedCount;

    public double L1Strength => inner.L1Strength;

    public double L2Strength => inner.L2Strength;

    public bool IsHessianSupported => inner.IsHessianSupported;

    public long SampleCount => inner.SampleCount;

    public IReadOnlyList<double[]> NullDirections => inner.NullDirections;

    public double Value(double[] theta)
    {
        _inPasses.Start();
        try { return inner.Value(theta); } finally { _inPasses.Stop(); }
    }

    public double ValueAndGradient(double[] theta, double[] gradient)
    {
        _inPasses.Start();
        try { return inner.ValueAndGradient(theta, gradient); } finally { _inPasses.Stop(); }
    }

    public double[] Hessian(double[] theta) => inner.Hessian(theta);

    public void HessianVectorProduct(double[] theta, double[] v, double[] result)
    {
        _inPasses.Start();
        try { inner.HessianVectorProduct(theta, v, result); } finally { _inPasses.Stop(); }
    }

    public void HessianVectorProduct(double[] theta, double[] v, double[] result, long rows)
    {
        _inPasses.Start();
        try { inner.HessianVectorProduct(theta, v, result, rows); } finally { _inPasses.Stop(); }
    }

    public double LipschitzBound() => inner.LipschitzBound();

    public void Precondition(double[] v, double[] result)
    {
        Applications++;
        _inApplications.Start();
        try { inner.Precondition(v, result); } finally { _inApplications.Stop(); }
    }

    /// <summary>Building the subspace preconditioner is the solver's own work (its multiply-adds are counted in <see cref="DataPasses"/>).</summary>
    public void RefreshSubspacePreconditioner(double[] theta, int rank, int rows)
    {
        _inRefreshes.Start();
        try { inner.RefreshSubspacePreconditioner(theta, rank, rows); } finally { _inRefreshes.Stop(); }
    }

    public void ApplySubspacePreconditioner(double[] v, double[] result)
    {
        Applications++;
        _inApplications.Start();
        try { inner.ApplySubspacePreconditioner(v, result); } finally { _inApplications.Stop(); }
    }

    /// <summary>The inner objective is the caller's to dispose.</summary>
    public void Dispose()
    {
    }
}
