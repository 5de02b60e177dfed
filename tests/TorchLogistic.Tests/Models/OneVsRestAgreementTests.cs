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
        var a = OneVsRestAgreement.Of(p, 3);
        Assert.Equal(new[] { 2, 0, 1, 2, 0 }, a.Claims);
        Assert.Equal(5, a.RowCount);
        Assert.Equal(2, a.Unclaimed);
        Assert.Equal(1, a.ClaimedOnce);
        Assert.Equal(2, a.Contested);
        Assert.Equal(new[] { 1, 4 }, a.UnclaimedRows);
        Assert.Equal(new[] { 0, 3 }, a.ContestedRows);
        Assert.Equal(1, a.Ties);
        Close.All(new[] { 1.4, 0.9, 1.2, 1.0, 0.49 }, a.MemberProbabilitySum, 1e-15, 0, "member probability sums");
    }

    [Fact]
    public void Logits_or_ragged_rows_are_refused_with_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => OneVsRestAgreement.Of(new[] { 0.2, 1.5 }, 2));
        Assert.Contains("1.5", e.Message);
        Assert.Contains("not logits", e.Message);
        Assert.Throws<ArgumentException>(() => OneVsRestAgreement.Of(new[] { 0.2, 0.3, 0.4 }, 2));
    }
}
