namespace TorchLogistic.Inference;

/// <summary>Which covariance <see cref="LogitInference"/> reports, and the clusters of the rows for <see cref="CovarianceKind.Cluster"/>.</summary>
/// <param name="Kind">The covariance (default <see cref="CovarianceKind.Nonrobust"/>).</param>
/// <param name="Groups">Cluster label of each training row (required for <see cref="CovarianceKind.Cluster"/>, at least two distinct labels; ignored otherwise).</param>
public sealed record CovarianceOptions(CovarianceKind Kind = CovarianceKind.Nonrobust, IReadOnlyList<long>? Groups = null)
{
    /// <summary>The model-based covariance.</summary>
    public static CovarianceOptions Nonrobust { get; } = new();

    /// <summary>Parses <c>nonrobust</c>, <c>HC0</c>–<c>HC3</c> or <c>cluster</c> (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The kind.</returns>
    public static CovarianceKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "nonrobust" => CovarianceKind.Nonrobust,
        "hc0" => CovarianceKind.HC0,
        "hc1" => CovarianceKind.HC1,
        "hc2" => CovarianceKind.HC2,
        "hc3" => CovarianceKind.HC3,
        "cluster" => CovarianceKind.Cluster,
        _ => throw new ArgumentException($"Unknown covariance '{name}'. Use nonrobust, HC0, HC1, HC2, HC3 or cluster."),
    };

    /// <summary>The name as statsmodels spells it (<c>nonrobust</c>, <c>HC0</c>…, <c>cluster</c>).</summary>
    /// <param name="kind">The kind.</param>
    public static string NameOf(CovarianceKind kind) => kind switch
    {
        CovarianceKind.Nonrobust => "nonrobust",
        CovarianceKind.Cluster => "cluster",
        _ => kind.ToString(),
    };
}
