namespace TorchLogistic.Models;

/// <summary>
/// How the members of a <see cref="OneVsRest"/> model agree on a set of rows — what normalising their
/// probabilities hides. A member <em>claims</em> a row when its own probability of its class is at least ½.
/// A row no member claims, or that two or more claim, is one the K separate binary models disagree about;
/// a softmax model, whose probabilities sum to 1 by construction, has no such rows.
/// </summary>
/// <param name="Claims">For each row, how many members claim it (probability ≥ ½).</param>
/// <param name="Ties">Rows whose two largest member probabilities differ by at most <see cref="OneVsRest.TieTolerance"/> (<see cref="OneVsRest.CountTies"/>).</param>
/// <param name="MemberProbabilitySum">For each row, the sum of the member probabilities Σ_k P_k (1 only by chance).</param>
public sealed record OneVsRestAgreement(int[] Claims, int Ties, double[] MemberProbabilitySum)
{
    /// <summary>Number of rows.</summary>
    public int RowCount => Claims.Length;

    /// <summary>Rows no member claims: every member probability is below ½.</summary>
    public int Unclaimed => Claims.Count(c => c == 0);

    /// <summary>Rows claimed by exactly one member.</summary>
    public int ClaimedOnce => Claims.Count(c => c == 1);

    /// <summary>Rows two or more members claim.</summary>
    public int Contested => Claims.Count(c => c >= 2);

    /// <summary>Indices of the rows no member claims, ascending.</summary>
    public int[] UnclaimedRows => Enumerable.Range(0, Claims.Length).Where(i => Claims[i] == 0).ToArray();

    /// <summary>Indices of the rows two or more members claim, ascending.</summary>
    public int[] ContestedRows => Enumerable.Range(0, Claims.Length).Where(i => Claims[i] >= 2).ToArray();

    /// <summary>Counts claims, ties and probability sums of member probabilities.</summary>
    /// <param name="memberProbabilities">Each member's probability of its class, row-major <c>(m, K)</c> (<see cref="OneVsRest.MemberProbabilities"/>).</param>
    /// <param name="classCount">K ≥ 2, the number of members.</param>
    public static OneVsRestAgreement Of(double[] memberProbabilities, int classCount)
    {
        if (classCount < 2 || memberProbabilities.Length % classCount != 0)
            throw new ArgumentException($"{memberProbabilities.Length} probabilities do not form rows of {classCount} ≥ 2 members; pass the (m, K) member probabilities row by row.");
        int m = memberProbabilities.Length / classCount;
        var claims = new int[m];
        var sums = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < classCount; k++)
            {
                double p = memberProbabilities[i * classCount + k];
                if (!(p >= 0 && p <= 1))
                    throw new ArgumentException($"Member probability {p} (row {i}, member {k}) is not in [0, 1]; pass member probabilities, not logits.");
                sums[i] += p;
                if (p >= 0.5) claims[i]++;
            }
        }
        return new OneVsRestAgreement(claims, OneVsRest.CountTies(memberProbabilities, classCount), sums);
    }
}
