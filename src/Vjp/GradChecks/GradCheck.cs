using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Checking;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>
/// Gradient checks for .NET: a function's, a module's or a rule's analytic gradient against float64 central differences.
/// <list type="bullet">
/// <item><see cref="Function(Func{Tensor[], Tensor}, Tensor[], GradCheckOptions?)"/>: any TorchSharp function's autograd
/// gradient, custom <c>torch.autograd.Function</c> backwards included;</item>
/// <item><see cref="Module"/>: a module with respect to its input and every parameter;</item>
/// <item><see cref="Rule{TIn, TOut}(HasVjp{TIn, TOut}, TIn, GradCheckOptions?)"/>: a rule of the VJP algebra (its pullback,
/// dx and every parameter cotangent); <see cref="Rule(CheckCase, GradCheckOptions?, bool)"/> for a rule with its ranks
/// erased, as the project's own FD suites hold them.</item>
/// </list>
/// Each returns a <see cref="GradCheckResult"/> (it does not throw on a mismatch): every compared quantity, the worst,
/// and a message naming the operand, element, both values, errors, check, step and tolerance. Options
/// (<see cref="GradCheckOptions"/>) choose full, fast or one-cotangent mode, steps and tolerances (per dtype by default), the adaptive
/// step, the determinism check, declared kinks, forward mode and second order. The caller's tensors and the module's or
/// rule's state are left as they were; every tensor the check makes is disposed.
/// </summary>
public static class GradCheck
{
    /// <summary>Checks the autograd gradient of <paramref name="f"/> with respect to every input.</summary>
    /// <param name="f">The function: dtype-generic (it is run in float64 for the numeric side unless
    /// <see cref="NumericReference.Native"/>); capture non-differentiable arguments in it.</param>
    /// <param name="inputs">The point: one floating tensor per differentiable input (not changed).</param>
    /// <param name="options">Mode, tolerances, kinks, second order…; <see cref="GradCheckOptions.Default"/> when null.</param>
    public static GradCheckResult Function(Func<Tensor[], Tensor> f, Tensor[] inputs, GradCheckOptions? options = null)
    {
        options ??= GradCheckOptions.Default;
        if (inputs.Length == 0) throw new ArgumentException("GradCheck.Function needs at least one input", nameof(inputs));
        var names = options.InputNames;
        if (names is not null && names.Count != inputs.Length)
            throw new ArgumentException($"InputNames has {names.Count} names for {inputs.Length} inputs", nameof(options));
        return Run(() => new FunctionSubject(f,
            [.. inputs.Select((x, i) => new Operand(names?[i] ?? $"input {i}", OperandKind.Input, x.detach().clone()))],
            "function"), options);
    }

    /// <summary>Checks the autograd gradient of a one-input function.</summary>
    /// <param name="f">The function (see <see cref="Function(Func{Tensor[], Tensor}, Tensor[], GradCheckOptions?)"/>).</param>
    /// <param name="x">The point (not changed).</param>
    /// <param name="options">Options; <see cref="GradCheckOptions.Default"/> when null.</param>
    public static GradCheckResult Function(Func<Tensor, Tensor> f, Tensor x, GradCheckOptions? options = null) =>
        Function(xs => f(xs[0]), [x], options);

    /// <summary>
    /// Checks a module's gradient with respect to its input ("input") and every parameter that requires a gradient (by its
    /// name in <c>named_parameters</c>, e.g. "weight", "0.bias"). The module is converted to float64 for the numeric side and
    /// restored (dtype, parameters, buffers) afterwards. Check a module with batch statistics in the mode you mean.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="input">The point (not changed).</param>
    /// <param name="options">Options; <see cref="GradCheckOptions.Default"/> when null.</param>
    public static GradCheckResult Module(nn.Module<Tensor, Tensor> module, Tensor input, GradCheckOptions? options = null) =>
        Run(() => new ModuleSubject(module, input), options ?? GradCheckOptions.Default);

    /// <summary>
    /// Checks a rule of the algebra — <c>HasVjp</c> (vectors), <c>HasVJPMat</c> (<c>HasVjp&lt;Mat, Mat&gt;</c>),
    /// <c>HasVJP3</c> (<c>HasVjp&lt;Tensor3, Tensor3&gt;</c>) or a bridge — with respect to x ("x") and every parameter
    /// (by <see cref="Parameter.Name"/>): its pullback's dx and the cotangents it adds into <see cref="Parameter.Grad"/>.
    /// Parameter values and gradients are restored afterwards. Forward mode and second order are not available: pullbacks
    /// run under <c>no_grad</c>.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="x">The point (not changed).</param>
    /// <param name="options">Options; <see cref="GradCheckOptions.Default"/> when null.</param>
    public static GradCheckResult Rule<TIn, TOut>(HasVjp<TIn, TOut> rule, TIn x, GradCheckOptions? options = null)
        where TIn : IValue<TIn>
        where TOut : IValue<TOut> =>
        Run(() => new PullbackSubject($"rule {rule.Culprit}", x.T, t => rule.Apply(TIn.Wrap(t)).T,
            (t, dy) => rule.Forward(TIn.Wrap(t)).pullback(TOut.Wrap(dy)).T, rule.Parameters), options ?? GradCheckOptions.Default);

    /// <summary>Checks a rule at a point given as a plain tensor (wrapped as <typeparamref name="TIn"/>).</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="x">The point, batch first (not changed).</param>
    /// <param name="options">Options; <see cref="GradCheckOptions.Default"/> when null.</param>
    public static GradCheckResult Rule<TIn, TOut>(HasVjp<TIn, TOut> rule, Tensor x, GradCheckOptions? options = null)
        where TIn : IValue<TIn>
        where TOut : IValue<TOut> =>
        Rule(rule, TIn.Wrap(x), options);

    /// <summary>
    /// Checks a rule given as a <see cref="CheckCase"/> (ranks erased, as the catalog and the book checks hold them): its
    /// pullback's dx and, when <paramref name="parameters"/>, every parameter cotangent.
    /// </summary>
    /// <param name="rule">The case: rule, point and parameters.</param>
    /// <param name="options">Options; <see cref="GradCheckOptions.Default"/> when null.</param>
    /// <param name="parameters">Also check the parameter cotangents (default), or dx alone.</param>
    public static GradCheckResult Rule(CheckCase rule, GradCheckOptions? options = null, bool parameters = true) =>
        Run(() => new PullbackSubject($"rule {rule.Rule} [{rule.Item}]", rule.X, rule.Forward, rule.Pullback,
            parameters ? rule.Parameters : []), options ?? GradCheckOptions.Default);

    static GradCheckResult Run(Func<Subject> make, GradCheckOptions options)
    {
        // Before the subject runs: MKL takes its reproducible mode only before its first call (determinism runs need it).
        var mkl = LibTorchRuntime.EnsureReproducibleMkl();
        using var scope = NewDisposeScope();
        using var subject = make();
        var first = new Checker(subject, options, CheckKind.Vjp);
        first.Run();
        var comparisons = first.Comparisons.ToList();
        var notes = first.Notes.ToList();
        if (mkl == MklReproducibility.Refused)
            notes.Add("MKL had run before the first check, so its reproducible mode could not be set: repeated float32 runs "
                + "may differ in the last bits (call LibTorchRuntime.EnsureReproducibleMkl() at start-up)");
        var mode = first.Mode.ToString()!;
        if (options.SecondOrder)
        {
            if (subject is not AutogradSubject autograd)
                throw new NotSupportedException($"GradCheck: {subject.Title} has no second order (its pullback runs under no_grad)");
            var second = SecondOrder(autograd, first, options);
            comparisons.AddRange(second.Comparisons);
            notes.AddRange(second.Notes);
            mode += $"; second order: {second.Mode}";
        }
        return new GradCheckResult(subject.Title, first.Dtype, mode, options.Reference, comparisons, notes, options.MaxReported);
    }

    /// <summary>gradgradcheck: the first-order gradient at a seeded cotangent dy, checked as a function of (x…, dy).</summary>
    static Checker SecondOrder(AutogradSubject subject, Checker first, GradCheckOptions options)
    {
        Tensor y;
        using (no_grad()) y = subject.Forward([.. subject.Operands.Select(o => o.Value)]);
        var dy = new Init(ScalarType.Float64, y.device, options.Seed + 1).Normal(y.shape).to(first.Dtype);
        var inner = new SecondOrderSubject(subject, dy);
        // A given cotangent is shaped for f's output, not for the gradient's: the second order draws its own.
        var mode = options.Mode is GradCheckMode.OneCotangent ? GradCheckMode.Cotangent() : options.Mode;
        var second = new Checker(inner, options with { Mode = mode, SecondOrder = false, Jvp = false, NonDeterminismRuns = 1 },
            CheckKind.SecondOrder);
        second.Run();
        return second;
    }
}
