namespace TorchLogistic.Models;

/// <summary>
/// How the members of a <see cref="OneVsRest"/> model agree on a set of rows — what normalising their
/// probabilities hides. A member <em>claims</em> a row when its own probability of its class is at least ½.
/// A row no member claims, or that two or more claim, is one the K separate binary models disagree about;
/// a softmax model, whose probabilities sum to 1 by construction, has no such rows.
/// </summary>
/// <param name="claims">For each row, how many members claim it (probability ≥ ½).</param>
/// <param name="ties">Rows whose two largest member probabilities differ by at most <see cref="OneVsRest.tie_tolerance"/> (<see cref="OneVsRest.count_ties"/>).</param>
/// <param name="member_proba_sum">For each row, the sum of the member probabilities Σ_k P_k (1 only by chance).</param>
public sealed record OneVsRestAgreement(int[] claims, int ties, double[] member_proba_sum)
{
    /// <summary>Number of rows.</summary>
    public int n_rows => claims.Length;

    /// <summary>Rows no member claims: every member probability is below ½.</summary>
    public int unclaimed => claims.Count(c => c == 0);

    /// <summary>Rows claimed by exactly one member.</summary>
    public int claimed_once => claims.Count(c => c == 1);

    /// <summary>Rows two or more members claim.</summary>
    public int contested => claims.Count(c => c >= 2);

    /// <summary>Indices of the rows no member claims, ascending.</summary>
    public int[] unclaimed_rows => Enumerable.Range(0, claims.Length).Where(i => claims[i] == 0).ToArray();

    /// <summary>Indices of the rows two or more members claim, ascending.</summary>
    public int[] contested_rows => Enumerable.Range(0, claims.Length).Where(i => claims[i] >= 2).ToArray();

    /// <summary>Counts claims, ties and probability sums of member probabilities.</summary>
    /// <param name="member_proba">Each member's probability of its class, row-major <c>(m, K)</c> (<see cref="OneVsRest.member_proba"/>).</param>
    /// <param name="n_classes">K ≥ 2, the number of members.</param>
    public static OneVsRestAgreement of(double[] member_proba, int n_classes)
    {
        if (n_classes < 2 || member_proba.Length % n_classes != 0)
            throw new ArgumentException($"{member_proba.Length} probabilities do not form rows of {n_classes} ≥ 2 members; pass the (m, K) member probabilities row by row.");
        int m = member_proba.Length / n_classes;
        var claims = new int[m];
        var sums = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < n_classes; k++)
            {
                double p = member_proba[i * n_classes + k];
                if (!(p >= 0 && p <= 1))
                    throw new ArgumentException($"Member probability {p} (row {i}, member {k}) is not in [0, 1]; pass member probabilities, not logits.");
                sums[i] += p;
                if (p >= 0.5) claims[i]++;
            }
        }
        return new OneVsRestAgreement(claims, OneVsRest.count_ties(member_proba, n_classes), sums);
    }
}
