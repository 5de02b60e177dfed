using static TorchSharp.torch;

namespace TorchLogistic.Losses;

/// <summary>
/// Base of the loss modules: <c>forward(input, target)</c> as in PyTorch (autograd works through it), plus the
/// closed-form derivatives with respect to the logits that PyTorch only gets by autograd — <see cref="gradient"/>,
/// <see cref="hessian_vector_product"/> and <see cref="hessian"/> — all computed from the module's
/// <see cref="pointwise_form"/>. For <c>reduction: none</c> the output has one value per sample or entry, each
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
        this.reduction = reduction;
    }

    /// <summary>How per-sample losses are combined.</summary>
    public nn.Reduction reduction { get; }

    /// <summary>This loss on <paramref name="input"/> and <paramref name="target"/> as a weighted sum over its pointwise loss.</summary>
    /// <param name="input">Logits, in the shapes the module documents.</param>
    /// <param name="target">Targets.</param>
    public abstract PointwiseForm pointwise_form(Tensor input, Tensor target);

    /// <summary>The loss: a scalar for mean and sum; per sample or per entry for none.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public override Tensor forward(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        return pointwise_form(input, target).value(reduction).MoveToOuterDisposeScope();
    }

    /// <summary>∂L/∂input in closed form, the shape of <paramref name="input"/>.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public Tensor gradient(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var form = pointwise_form(input, target);
        return form.to_input(form.loss.gradient(form.y_true, form.raw_prediction, form.sample_weight)).MoveToOuterDisposeScope();
    }

    /// <summary>The loss (as <see cref="forward"/>) and ∂L/∂input, sharing the work.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public (Tensor loss, Tensor gradient) loss_gradient(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var form = pointwise_form(input, target);
        Tensor loss, gradient;
        if (reduction == nn.Reduction.None)
        {
            loss = form.value(reduction);
            gradient = form.loss.gradient(form.y_true, form.raw_prediction, form.sample_weight);
        }
        else
        {
            (var perSample, gradient) = form.loss.loss_gradient(form.y_true, form.raw_prediction, form.sample_weight);
            loss = perSample.sum();
        }
        return (loss.MoveToOuterDisposeScope(), form.to_input(gradient).MoveToOuterDisposeScope());
    }

    /// <summary>(∂²L/∂input²)·v in closed form, the shape of <paramref name="input"/>.</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    /// <param name="v">Direction, the shape of <paramref name="input"/>.</param>
    public Tensor hessian_vector_product(Tensor input, Tensor target, Tensor v)
    {
        using var scope = NewDisposeScope();
        if (!v.shape.SequenceEqual(input.shape))
            throw new ArgumentException($"v has shape [{string.Join(", ", v.shape)}]; it must have the input's shape [{string.Join(", ", input.shape)}].", nameof(v));
        var form = pointwise_form(input, target);
        var hv = form.loss.hessian_product(form.y_true, form.raw_prediction, form.from_input(v), form.sample_weight);
        return form.to_input(hv).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∂²L/∂input² in closed form as an <c>(n, n)</c> matrix over the input's entries in row-major order
    /// (n = input.numel()): block diagonal, one block per sample. Meant for small inputs and checks.
    /// </summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets.</param>
    public Tensor hessian(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var form = pointwise_form(input, target);
        var (_, blocks) = form.loss.gradient_hessian(form.y_true, form.raw_prediction, form.sample_weight);
        var rows = blocks.dim() == 1 ? blocks.diag_embed() : block_diag(blocks.unbind(0));
        long n = input.numel();
        // position p of the input holds entry order[p] of the rows
        var order = form.to_input(arange(n).reshape(form.raw_prediction.shape)).flatten();
        return rows.index_select(0, order).index_select(1, order).MoveToOuterDisposeScope();
    }
}
