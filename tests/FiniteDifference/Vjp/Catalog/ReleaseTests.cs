using System.Reflection;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.FiniteDifference.Vjp.Catalog;

/// <summary>
/// Consistency check of two promises a rule may make so that its consumers can free memory during the forward:
/// <see cref="HasVjp{TIn,TOut}.KeepsInput"/> false (x may be released once the forward returns) and
/// <see cref="HasVjp{TIn,TOut}.FreshOutput"/> (y may be written into or released). For every catalog entry that makes
/// one, x disposed after the forward, or y overwritten with NaN, must leave dx and every parameter gradient
/// bit-identical. The negative case is a rule that claims not to keep x but reads it in its pullback.
/// </summary>
public class ReleaseTests
{
    public static TheoryData<string> Entries() => [.. RuleCatalog.All.Select(e => e.Id)];

    static readonly MethodInfo Generic = typeof(ReleaseTests).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The failures of the promises the rule makes (empty when it keeps them or makes none), and which it makes.</summary>
    static (IReadOnlyList<string> Failures, bool Releases, bool Fresh) Run(IVjpNode root, Tensor x, Init init)
    {
        var type = root.GetType();
        while (!(type!.IsGenericType && type.GetGenericTypeDefinition() == typeof(HasVjp<,>))) type = type.BaseType;
        var result = Generic.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [root, x, init]);
        return ((IReadOnlyList<string>, bool, bool))result!;
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static (IReadOnlyList<string>, bool, bool) Check<TA, TB>(HasVjp<TA, TB> rule, Tensor x, Init init)
        where TA : IValue<TA> where TB : IValue<TB>
    {
        var failures = new List<string>();
        var (y0, _) = rule.Forward(TA.Wrap(x));
        var dy = init.Point(y0.T.shape);
        (Tensor? Dx, List<Tensor> Grads) Pullback(Action<TA, TB> afterForward)
        {
            foreach (var p in rule.Parameters) p.ZeroGrad();
            var input = TA.Wrap(x.clone());
            var (y, pullback) = rule.Forward(input);
            afterForward(input, y);
            var dx = pullback(TB.Wrap(dy)).T.clone();
            return (dx, [.. rule.Parameters.Select(p => p.Grad.clone())]);
        }
        void Compare(string what, Action<TA, TB> afterForward)
        {
            var reference = Pullback((_, _) => { });
            try
            {
                var (dx, grads) = Pullback(afterForward);
                if (!Same(dx!, reference.Dx!)) failures.Add($"{what}: dx differs");
                foreach (var (p, i) in rule.Parameters.Select((p, i) => (p, i)))
                    if (!Same(grads[i], reference.Grads[i])) failures.Add($"{what}: ∂{p.Name} differs");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                failures.Add($"{what}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }
        if (!rule.KeepsInput) Compare("x released after the forward", (input, _) => input.T.Dispose());
        if (rule.FreshOutput)
        {
            using var nan = double.NaN.ToScalar();
            Compare("y overwritten after the forward", (_, y) => y.T.fill_(nan));
        }
        return (failures, !rule.KeepsInput, rule.FreshOutput);
    }

    [Theory, MemberData(nameof(Entries))]
    public void Consistency_ReleasingXOrOverwritingYLeavesTheCotangentsIdentical(string id)
    {
        for (var seed = 0; seed < 2; seed++)
        {
            using var scope = NewDisposeScope();
            var init = Init.Float64Cpu(seed);
            var c = RuleCatalog.Get(id).Build(init);
            var (failures, _, _) = Run(c.Root, c.X, init);
            Assert.True(failures.Count == 0, $"{id} seed {seed} ({c.Sizes}): {string.Join("; ", failures)}");
        }
    }

    [Fact]
    public void ThePromises_AreMadeByTheAttentionScoresPieces()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(1);
        var made = RuleCatalog.All.Select(e => e.Build(init) is var c ? (e.Id, Run: Run(c.Root, c.X, init)) : default).ToList();
        foreach (var id in new[] { "scalar-scale", "softmax", "row-softmax", "cls-token" })
            Assert.True(made.Single(m => m.Id == id).Run.Releases, $"{id} no longer lets its consumer release x");
        foreach (var id in new[] { "scalar-scale", "matmul-fan-in", "dense", "dense-per-token" })
            Assert.True(made.Single(m => m.Id == id).Run.Fresh, $"{id} no longer gives a fresh y");
    }

    [Fact]
    public void ARuleThatClaimsNotToKeepXButReadsIt_IsReported()
    {
        using var scope = NewDisposeScope();
        var init = Init.Float64Cpu(3);
        var (failures, releases, _) = Run(new ReadsXAnyway(), init.Point(2, 4), init);
        Assert.True(releases);
        Assert.Contains(failures, f => f.StartsWith("x released after the forward", StringComparison.Ordinal));
    }

    /// <summary>y = x², dx = 2x·dy, claiming (wrongly) that its pullback does not read x.</summary>
    sealed class ReadsXAnyway() : HasVjp<Vec, Vec>(ItemId.pdiv, "mutant square")
    {
        public override bool KeepsInput => false;

        protected override (Vec y, Pullback<Vec, Vec> pullback) Run(Vec x) =>
            (new Vec(x.T * x.T), dy => new Vec((x.T * dy.T).Mul(2)));
    }
}
