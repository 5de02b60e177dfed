using TorchLogistic.Native;
using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Base of the loss modules: <c>forward(input, target)</c> as in PyTorch (autograd works through it), plus the
/// closed-form derivatives with respect to the logits that PyTorch only gets by autograd — <see cref="Gradient"/>,
/// <see cref="HessianVectorProduct"/> and <see cref="Hessian"/> — all computed from the module's
/// <see cref="PointwiseForm"/>. For <c>reduction: none</c> the output has one value per sample or entry, each
/// depending on its own logits only, so the derivatives are those of the sum of the outputs.
/// </summary>
public abstract class LogitLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="reduction">none, mean (default in PyTorch) or sum.</param>
    protected LogitLoss(string name, nn.Reduction reduction) : base(name)
    {
        if (reduction is not (nn.Reduction.None or nn.Reduction.Mean or nn.Reduction.Sum))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"Unknown reduction {reduction}; use None, Mean or Sum.");
        this.Reduction = reduction;
    }

    /// <summary>How per-sample losses are combined.</summary>
    public nn.Reduction Reduction { get; }

    /// <summary>This loss on <paramref name="input"/> and <paramref name="target"/> as a weighted sum over its pointwise loss.</summary>
    /// <param name="input">Logits, in the shapes the module documents.</param>
    /// <param name="target">Targets.</param>
    public abstract global::TorchLogistic.Losses.PointwiseForm PointwiseForm(Tensor input, Tensor target);

    /// <summary>The loss: a scalar for mean and sum; per sample or per entry for none.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public override Tensor forward(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        return PointwiseForm(input, target).Value(Reduction).MoveToOuterDisposeScope();
    }

    /// <summary>∂L/∂input in closed form, the shape of <paramref name="input"/>.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public Tensor Gradient(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var form = PointwiseForm(input, target);
        return form.ToInput(form.Loss.Gradient(form.YTrue, form.RawPrediction, form.SampleWeight)).MoveToOuterDisposeScope();
    }

    /// <summary>The loss (as <see cref="forward"/>) and ∂L/∂input, sharing the work.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public (Tensor loss, Tensor gradient) LossGradient(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var form = PointwiseForm(input, target);
        Tensor loss, gradient;
        if (Reduction == nn.Reduction.None)
        {
            loss = form.Value(Reduction);
            gradient = form.Loss.Gradient(form.YTrue, form.RawPrediction, form.SampleWeight);
        }
        else
        {
            (var perSample, gradient) = form.Loss.LossGradient(form.YTrue, form.RawPrediction, form.SampleWeight);
            loss = perSample.sum();
        }
        return (loss.MoveToOuterDisposeScope(), form.ToInput(gradient).MoveToOuterDisposeScope());
    }

    /// <summary>(∂²L/∂input²)·v in closed form, the shape of <paramref name="input"/>.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    /// <param name="v">Direction, the shape of <paramref name="input"/>.</param>
    public Tensor HessianVectorProduct(Tensor input, Tensor target, Tensor v)
    {
        using var scope = NewDisposeScope();
        if (!v.shape.SequenceEqual(input.shape))
            throw new ArgumentException($"v has shape [{string.Join(", ", v.shape)}]; it must have the input's shape [{string.Join(", ", input.shape)}].", nameof(v));
        var form = PointwiseForm(input, target);
        var hv = form.Loss.HessianProduct(form.YTrue, form.RawPrediction, form.FromInput(v), form.SampleWeight);
        return form.ToInput(hv).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∂²L/∂input² in closed form as an <c>(n, n)</c> matrix over the input's entries in row-major order
    /// (n = input.numel()): block diagonal, one block per sample. Meant for small inputs and checks.
    /// </summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public Tensor Hessian(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var form = PointwiseForm(input, target);
        var (_, blocks) = form.Loss.GradientHessian(form.YTrue, form.RawPrediction, form.SampleWeight);
        var rows = blocks.dim() == 1 ? blocks.diag_embed() : block_diag(blocks.unbind(0));
        long n = input.numel();
        // position p of the input holds entry order[p] of the rows
        using var stop = Scalars.Of(n);
        var order = form.ToInput(arange(Scalars.Zero, stop, Scalars.One).reshape(form.RawPrediction.shape)).flatten();
        return rows.index_select(0, order).index_select(1, order).MoveToOuterDisposeScope();
    }
}
