using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Comparisons;

/// <summary>A rule instance ready for the oracle: its tree (what a mutant can reach) and the comparison to run.</summary>
public sealed record OracleInstance(IVjpNode Root, Func<OracleResult> Compare);

/// <summary>
/// One per-rule oracle case: a catalog rule at stated sizes, built with its twin from a <see cref="TwinSet"/>, compared in
/// float64 on the CPU. <paramref name="CaseRelative"/>: errors against the case's largest gradient entry (blocks whose BN
/// cancels a γ, see <see cref="OracleResult.RequireCaseRelative"/>).
/// </summary>
public sealed record RuleOracleCase(string Rule, string Sizes, Func<Init, TwinSet, OracleInstance> Build, bool CaseRelative = false);

/// <summary>
/// The per-rule autograd oracle as library cases (what <c>lmv check</c> runs; tests/Oracle/Rules holds the fuller
/// per-rule test classes): every primitive at batch &gt; 1, the conv and pool geometries where SAME padding is
/// asymmetric, the kinks at exact values (ReLU at 0, ReLU6 at 0 and 6, hard-swish and hard-sigmoid at ±3, max-pool
/// ties), smoothing on and off, the matrix kit, attention, and the blocks (<c>RuleOracleCases.Blocks.cs</c>).
/// </summary>
public static partial class RuleOracleCases
{
    /// <summary>float64: every tensor (forward y, dx, each parameter cotangent) within 1e-12 relative of autograd's.</summary>
    public const double Bound = 1e-12;

    const int Seed = 7;
    static readonly double[] Kinks = [0, 6, -3, 3];

    public static IReadOnlyList<RuleOracleCase> All { get; } = [.. Primitives(), .. Convolutions(), .. Matrices(), .. Blocks()];

    static RuleOracleCase Case<TIn, TOut>(string rule, string sizes,
        Func<Init, TwinSet, (HasVjp<TIn, TOut> Rule, TwinForward Twin, TIn X)> build, bool caseRelative = false)
        where TIn : IValue<TIn> where TOut : IValue<TOut> =>
        new(rule, sizes, (init, twins) =>
        {
            var (r, twin, x) = build(init, twins);
            return new OracleInstance(r, () => RuleOracle.Compare(r, twin, x, Seed));
        }, caseRelative);

    static Tensor Exact(Init init, double[] values, params long[] shape) => tensor(values).view(shape).to(init.Dtype, init.Device);

    static RuleOracleCase Activation(string rule, string name) =>
        Case<Tensor3, Tensor3>(rule, "B=3, C=4, 5×5, x away from kinks", (i, t) =>
            (Activations.ByName<Tensor3>(name), (x, _) => t.Activation(name, x), new Tensor3(i.AwayFrom(Kinks, 1e-3, 3, 3, 4, 5, 5))));

    static RuleOracleCase AtKinks(string rule, string name, string sizes, double[] values) =>
        AtKinks(rule, name, sizes, values, () => Activations.ByName<Tensor3>(name));

    static RuleOracleCase AtKinks(string rule, string name, string sizes, double[] values, Func<HasVjp<Tensor3, Tensor3>> build) =>
        Case<Tensor3, Tensor3>(rule, sizes, (i, t) =>
            (build(), (x, _) => t.Activation(name, x), new Tensor3(Exact(i, values, 1, 2, 2, values.Length / 4))));

    /// <summary>ReLU (x = 0 at every third entry) and ReLU6 (at 0 and 6) under each forced strategy.</summary>
    static IEnumerable<RuleOracleCase> ForcedActivations() =>
        Strategies.Forced<KernelStrategy>().SelectMany(s =>
        {
            var name = KernelStrategies.Name(s);
            return new[]
            {
                AtKinks($"relu-{name}", "relu", "B=2, x = 0 at every third entry, forced",
                    [.. Enumerable.Range(-30, 60).Select(k => k % 3 == 0 ? 0.0 : k)], () => Activations.Relu<Tensor3>(s)),
                AtKinks($"relu6-{name}", "relu6", "x at 0 and 6, forced", [0, 6, 0, 6, 3, -1, 7, 0], () => Activations.Relu6<Tensor3>(s)),
            };
        });

    static IEnumerable<RuleOracleCase> Primitives()
    {
        yield return Case<Vec, Vec>("dense", "B=4, 6→5", (i, t) =>
            (new Dense(i.Normal([6, 5], 0.3), i.Normal([5]), "fc"), (x, p) => t.Dense(x, p[0], p[1]), new Vec(i.Point(4, 6))));
        yield return Activation("relu", "relu");
        yield return Case<Tensor3, Tensor3>("relu", "B=2, x = 0 at every third entry", (i, t) =>
            (Activations.Relu<Tensor3>(), (x, _) => t.Activation("relu", x),
                new Tensor3(Exact(i, [.. Enumerable.Range(-30, 60).Select(k => k % 3 == 0 ? 0.0 : k)], 2, 3, 2, 5))));
        yield return Activation("sigmoid", "sigmoid");
        yield return Activation("swish", "swish");
        yield return Activation("relu6", "relu6");
        yield return Activation("hard-swish", "hswish");
        yield return Activation("hard-sigmoid", "hsigmoid");
        yield return AtKinks("relu6", "relu6", "x at 0 and 6", [0, 6, 0, 6, 3, -1, 7, 0]);
        yield return AtKinks("hard-swish", "hswish", "x at ±3", [-3, 3, -3, 3, 0, -4, 4, 1]);
        yield return AtKinks("hard-sigmoid", "hsigmoid", "x at ±3", [-3, 3, -3, 3, 0, -4, 4, 1]);
        foreach (var forced in ForcedActivations()) yield return forced;
        yield return Case<Vec, Vec>("gelu-tanh", "B=4, n=6", (i, t) =>
            (Activations.GeluTanh<Vec>(), (x, _) => t.Gelu(x, true), new Vec(i.Normal([4, 6], 2))));
        foreach (var strategy in new[] { KernelStrategy.Composed, KernelStrategy.Native })
            yield return Case<Vec, Vec>($"gelu-tanh-{KernelStrategies.Name(strategy)}", "B=4, n=6, forced", (i, t) =>
                (Activations.GeluTanh<Vec>(strategy), (x, _) => t.Gelu(x, true), new Vec(i.Normal([4, 6], 2))));
        yield return Case<Vec, Vec>("gelu-erf", "B=4, n=6", (i, t) =>
            (Activations.GeluErf<Vec>(), (x, _) => t.Gelu(x, false), new Vec(i.Normal([4, 6], 2))));
        yield return Case<Vec, Vec>("softmax", "B=3, n=5", (i, _) => (new Softmax(), (x, _) => TwinOps.Softmax(x), new Vec(i.Point(3, 5))));
        yield return Case<Mat, Mat>("row-softmax", "B=2, 3×5", (i, _) =>
            (Softmax.Rows(), (x, _) => TwinOps.Softmax(x), new Mat(i.Point(2, 3, 5))));
        foreach (var smoothing in new[] { 0.0, 0.1 })
            yield return Case<Vec, Vec>("softmax-ce", $"B=6, K=10, ε={smoothing}", (i, t) =>
            {
                var labels = tensor(new long[] { 3, 0, 9, 9, 1, 4 });
                return (new SoftmaxCrossEntropy(labels, smoothing), (z, _) => t.CrossEntropy(z, labels, smoothing).view(1, 1),
                    new Vec(i.Point(6, 10)));
            });
        yield return Case<Vec, Vec>("layernorm", "N=5, D=6, γ, β ~ N(0,1)", (i, t) =>
            (LayerNorm.Create(i.Point(6), i.Point(6)), (x, p) => t.LayerNorm(x, p[0], p[1]), new Vec(i.Normal([5, 6], 2))));
        foreach (var strategy in new[] { KernelStrategy.Composed, KernelStrategy.Native })
            yield return Case<Vec, Vec>($"layernorm-{KernelStrategies.Name(strategy)}", "N=5, D=6, γ, β ~ N(0,1), forced", (i, t) =>
                (LayerNorm.Create(i.Point(6), i.Point(6), strategy: strategy), (x, p) => t.LayerNorm(x, p[0], p[1]),
                    new Vec(i.Normal([5, 6], 2))));
        yield return Case<Mat, Mat>("layernorm-per-token", "B=2, tokens=3, D=6", (i, t) =>
            (LayerNorm.PerToken(LayerNorm.Create(i.Point(6), i.Point(6))), (x, p) => t.LayerNorm(x, p[0], p[1]),
                new Mat(i.Normal([2, 3, 6], 2))));
    }

    /// <summary>
    /// One oracle case: y, dx and every parameter cotangent against autograd, float64 on the CPU; null when out of scope.
    /// Its tensors die with it.
    /// </summary>
    public static OracleVerdict? Check(RuleOracleCase c, TwinSet twins, Func<IVjpNode, bool>? reaches)
    {
        using var scope = NewDisposeScope();
        var instance = c.Build(new Init(ScalarType.Float64, CPU, Seed), twins);
        if (reaches is not null && !reaches(instance.Root)) return null;
        var result = instance.Compare();
        var compared = c.CaseRelative ? CaseRelative(result.Comparisons) : result.Comparisons;
        var bad = compared.Where(t => !t.Within(Bound)).ToList();
        var worst = compared.All(t => t.Finite) ? compared.Max(t => t.MaxRel) : double.NaN;
        return new(worst, bad.Count == 0, string.Join("; ", bad.Select(t => t.Explain(Bound))));
    }

    static IReadOnlyList<TensorComparison> CaseRelative(IReadOnlyList<TensorComparison> comparisons)
    {
        var scale = GradientComparison.CaseScale(comparisons);
        return [.. comparisons.Select(t => t.Against(scale))];
    }
}

/// <summary>An oracle case's verdict: the worst relative error (NaN when a tensor was not finite) and the tensors over the bound.</summary>
public sealed record OracleVerdict(double Worst, bool Passed, string Detail);
