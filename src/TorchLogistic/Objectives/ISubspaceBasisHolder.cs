namespace TorchLogistic.Objectives;

/// <summary>
/// An objective that can take a <see cref="SubspaceBasis"/> built by an earlier objective on the same rows, and give
/// its own: a solver reused along a path of fits (<c>PreconditionedNewtonCg(keepBasis: true)</c>) hands it on.
/// </summary>
internal interface ISubspaceBasisHolder
{
    /// <summary>The basis of this objective's rows: set before the first refresh to reuse one, read after it to keep it.</summary>
    SubspaceBasis? SubspaceBasis { get; set; }
}
