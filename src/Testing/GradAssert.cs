using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.GradChecks;
using Microsoft.FSharp.Core;
using TorchSharp;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace LeanMlirVerify.Testing;

/// <summary>A gradient check that failed: the message is <see cref="GradCheckResult.Message"/>; the whole result is attached.</summary>
public sealed class GradientMismatchException(GradCheckResult result) : XunitException(result.Message)
{
    /// <summary>The failed check, with every comparison.</summary>
    public GradCheckResult Result { get; } = result;
}

/// <summary>A property over generated cases that found a failing one: the message names the case and the mismatch.</summary>
public sealed class GradientPropertyException(string message, Exception inner) : XunitException(message, inner);

/// <summary>
/// Gradient checks as xunit assertions, one line each: <c>GradAssert.GradientsMatch(x =&gt; MyOp(x), x)</c>. Each runs
/// <see cref="GradCheck"/> and throws <see cref="GradientMismatchException"/> (an xunit failure carrying the message) when a
/// comparison is outside its bound; otherwise it returns the result (e.g. to print <see cref="GradCheckResult.Message"/>).
/// </summary>
public static class GradAssert
{
    /// <summary>Asserts a function's autograd gradient matches float64 central differences at <paramref name="inputs"/>.</summary>
    /// <param name="f">The function (dtype-generic: see GradCheck.Function).</param>
    /// <param name="inputs">The point.</param>
    /// <param name="options">Options; the defaults when null.</param>
    public static GradCheckResult GradientsMatch(Func<Tensor[], Tensor> f, Tensor[] inputs, GradCheckOptions? options = null) =>
        Passes(GradCheck.Function(f, inputs, options));

    /// <summary>Asserts a one-input function's autograd gradient matches central differences at <paramref name="x"/>.</summary>
    /// <param name="f">The function.</param>
    /// <param name="x">The point.</param>
    /// <param name="options">Options; the defaults when null.</param>
    public static GradCheckResult GradientsMatch(Func<Tensor, Tensor> f, Tensor x, GradCheckOptions? options = null) =>
        Passes(GradCheck.Function(f, x, options));

    /// <summary>Asserts a module's gradients (input and every parameter) match central differences.</summary>
    /// <param name="module">The module.</param>
    /// <param name="input">The point.</param>
    /// <param name="options">Options; the defaults when null.</param>
    public static GradCheckResult GradientsMatch(nn.Module<Tensor, Tensor> module, Tensor input, GradCheckOptions? options = null) =>
        Passes(GradCheck.Module(module, input, options));

    /// <summary>Asserts a rule's pullback (dx and every parameter cotangent) matches central differences.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="x">The point.</param>
    /// <param name="options">Options; the defaults when null.</param>
    public static GradCheckResult GradientsMatch<TIn, TOut>(HasVjp<TIn, TOut> rule, TIn x, GradCheckOptions? options = null)
        where TIn : IValue<TIn>
        where TOut : IValue<TOut> =>
        Passes(GradCheck.Rule(rule, x, options));

    /// <summary>Throws <see cref="GradientMismatchException"/> unless <paramref name="result"/> passed; returns it.</summary>
    /// <param name="result">A check's result.</param>
    public static GradCheckResult Passes(GradCheckResult result) =>
        result.Passed ? result : throw new GradientMismatchException(result);

    /// <summary>
    /// The negative case: throws unless <paramref name="result"/> failed (a check that cannot fail checks nothing — use it on
    /// a deliberately wrong gradient). Returns the result, to assert what it names.
    /// </summary>
    /// <param name="result">A check's result on a gradient known to be wrong.</param>
    public static GradCheckResult Fails(GradCheckResult result) =>
        result.Passed ? throw new XunitException($"expected a gradient mismatch, but: {result.Message}") : result;

    /// <summary>
    /// A property test in one line: for <paramref name="runs"/> cases drawn by FsCheck from <paramref name="cases"/> (replayed
    /// from <paramref name="seed"/>, so every run sees the same cases), <paramref name="check"/> must pass. Each case runs in
    /// its own dispose scope. A failure throws <see cref="GradientPropertyException"/> naming the case and the mismatch.
    /// </summary>
    /// <param name="cases">The generator, e.g. <see cref="GradGen.Sample(Gen{long[]}, int, bool, double, double[], double)"/>.</param>
    /// <param name="check">The check of one case, e.g. <c>s =&gt; GradCheck.Function(f, s.Tensors())</c>.</param>
    /// <param name="runs">Number of cases.</param>
    /// <param name="seed">Replay seed.</param>
    public static void GradientsMatchForAll<T>(Gen<T> cases, Func<T, GradCheckResult> check, int runs = 20, ulong seed = 1)
    {
        var replay = FSharpOption<Replay>.Some(new Replay(new Rnd(seed), null));
        try
        {
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(runs).WithReplay(replay), GradProperty.GradientsMatch(cases, check));
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw new GradientPropertyException(e.Message, e);
        }
    }
}

/// <summary>Gradient checks as FsCheck properties (for <c>[Property]</c> tests or <c>Check.One</c>).</summary>
public static class GradProperty
{
    /// <summary>
    /// The property "<paramref name="check"/> passes for every case of <paramref name="cases"/>"; each case in a dispose scope.
    /// </summary>
    /// <param name="cases">The generator of cases.</param>
    /// <param name="check">The check of one case.</param>
    public static Property GradientsMatch<T>(Gen<T> cases, Func<T, GradCheckResult> check) =>
        Prop.ForAll(Arb.From(cases), (T sample) =>
        {
            using var scope = NewDisposeScope();
            GradAssert.Passes(check(sample));
        });
}
