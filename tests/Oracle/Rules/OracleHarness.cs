using System.Runtime.CompilerServices;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Vjp.Algebra;
using Xunit.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Rules;

/// <summary>One oracle case: the rule, its twin forward, and the input, all built from one <see cref="Init"/>.</summary>
public sealed record OracleCase<TIn, TOut>(HasVjp<TIn, TOut> Rule, TwinForward Twin, TIn X)
    where TIn : IValue<TIn> where TOut : IValue<TOut>;

/// <summary>
/// Runs a case twice, float64 and float32 on the CPU (and CUDA when present), and applies the bounds:
/// float64 ≤ 1e-12 relative; float32 ≤ c·eps32·√n with n the longest reduction a gradient of the case sums over
/// and c stated by the test. The relative metric is max|hand − autograd| / max|autograd| per tensor.
/// </summary>
static class OracleHarness
{
    public const double Float64Bound = 1e-12;
    public const double Eps32 = 1.1920929e-7;

    public static double Float32Bound(double c, long n) => c * Eps32 * Math.Sqrt(n);

    public static IEnumerable<Device> Devices => cuda.is_available() ? [CPU, CUDA] : [CPU];

    /// <summary>Checks both dtypes on every device; returns the float64 and float32 results of the CPU run.</summary>
    public static (OracleResult F64, OracleResult F32) Check<TIn, TOut>(
        Func<Init, OracleCase<TIn, TOut>> build, double c, long n, ITestOutputHelper? output = null, int seed = 7,
        bool caseRelative = false, Func<string, bool>? vanishing = null)
        where TIn : IValue<TIn> where TOut : IValue<TOut>
    {
        OracleResult? cpu64 = null, cpu32 = null;
        foreach (var device in Devices)
        {
            var r64 = Run(build, ScalarType.Float64, device, seed);
            var r32 = Run(build, ScalarType.Float32, device, seed);
            output?.WriteLine($"[{device.type} float64, bound {Float64Bound:E0}] {r64}");
            output?.WriteLine($"[{device.type} float32, bound {Float32Bound(c, n):E1} = {c}·eps32·√{n}] {r32}");
            if (vanishing is not null)
            {
                RequireWithVanishing(r64, Float64Bound, vanishing);
                RequireWithVanishing(r32, Float32Bound(c, n), vanishing);
            }
            else if (caseRelative)
            {
                r64.RequireCaseRelative(Float64Bound);
                r32.RequireCaseRelative(Float32Bound(c, n));
            }
            else
            {
                r64.Require(Float64Bound);
                r32.Require(Float32Bound(c, n));
            }
            cpu64 ??= r64;
            cpu32 ??= r32;
        }
        return (cpu64!, cpu32!);
    }

    /// <summary>
    /// Each tensor against its own scale, except those <paramref name="vanishing"/> names (a gradient that is zero in
    /// exact arithmetic, such as attention's key bias: softmax ignores a shift shared by a row), which are measured
    /// against the case's largest reference entry: both sides hold rounding noise there.
    /// </summary>
    public static void RequireWithVanishing(OracleResult result, double bound, Func<string, bool> vanishing)
    {
        var scale = GradientComparison.CaseScale(result.Comparisons);
        var rows = result.Comparisons.Select(t => vanishing(t.Name) ? t.Against(scale) : t).ToList();
        GradientComparison.RequireWithin(rows, bound, $"{result.Rule} (vanishing gradients against the case's largest entry {scale:E2})");
    }

    public static OracleResult Run<TIn, TOut>(Func<Init, OracleCase<TIn, TOut>> build, ScalarType dtype, Device device, int seed = 7)
        where TIn : IValue<TIn> where TOut : IValue<TOut>
    {
        torch.set_num_threads(1); // per calling thread: see OracleCollection
        var @case = build(new Init(dtype, device, seed));
        return RuleOracle.Compare(@case.Rule, @case.Twin, @case.X, seed);
    }

#pragma warning disable CA2255 // a module initializer is the one hook that runs before every test in the assembly
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void QuietLibTorch()
    {
        LibTorchRuntime.Apply(RuntimeSettings.Checking);
    }
}

/// <summary>The rule oracle's classes run one at a time, on one libtorch thread each: figures do not depend on load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OracleCollection
{
    public const string Name = "autograd oracle";
}
