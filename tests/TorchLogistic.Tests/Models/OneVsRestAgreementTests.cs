using TorchLogistic.Models;
using TorchLogistic.Tests.Support;

namespace TorchLogistic.Tests.Models;

public class OneVsRestAgreementTests
{
    [Fact]
    public void Claims_ties_and_sums_are_counted_per_row()
    {
        // Hand-made member probabilities; the expected counts are read off the rows.
        double[] p =
        {
            0.6, 0.7, 0.1,   // claimed by members 0 and 1: contested
            0.2, 0.3, 0.4,   // claimed by none: unclaimed
            0.9, 0.1, 0.2,   // claimed by member 0 only
            0.5, 0.5, 0.0,   // ½ counts as a claim: contested, and a tie
            0.49, 0.0, 0.0,  // just below ½: unclaimed
        };
        var a = OneVsRestAgreement.of(p, 3);
        Assert.Equal(new[] { 2, 0, 1, 2, 0 }, a.claims);
        Assert.Equal(5, a.n_rows);
        Assert.Equal(2, a.unclaimed);
        Assert.Equal(1, a.claimed_once);
        Assert.Equal(2, a.contested);
        Assert.Equal(new[] { 1, 4 }, a.unclaimed_rows);
        Assert.Equal(new[] { 0, 3 }, a.contested_rows);
        Assert.Equal(1, a.ties);
        Close.All(new[] { 1.4, 0.9, 1.2, 1.0, 0.49 }, a.member_proba_sum, 1e-15, 0, "member probability sums");
    }

    [Fact]
    public void Logits_or_ragged_rows_are_refused_with_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => OneVsRestAgreement.of(new[] { 0.2, 1.5 }, 2));
        Assert.Contains("1.5", e.Message);
        Assert.Contains("not logits", e.Message);
        Assert.Throws<ArgumentException>(() => OneVsRestAgreement.of(new[] { 0.2, 0.3, 0.4 }, 2));
    }
}
