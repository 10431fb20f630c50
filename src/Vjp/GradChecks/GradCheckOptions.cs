using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>How the analytic gradient is compared with finite differences.</summary>
public abstract record GradCheckMode
{
    private protected GradCheckMode() { }

    /// <summary>
    /// The full Jacobian when every operand and the output are small (at most <see cref="AutoMode.FullLimit"/> elements
    /// in all), random projections (<see cref="Fast"/>, 4 directions) otherwise. The default.
    /// </summary>
    public static GradCheckMode Auto { get; } = new AutoMode(256);

    /// <summary>Every Jacobian entry: one backward per output element and one central difference per input element.</summary>
    public static GradCheckMode Full { get; } = new FullJacobian();

    /// <summary>
    /// The dot-product test: for each of <paramref name="directions"/> seeded cotangents v and, per operand, a seeded
    /// direction u, the backward's ⟨Jᵀv, u⟩ against ⟨v, (f(x + h·u) − f(x − h·u)) / 2h⟩. One backward per direction and
    /// two forwards per direction and operand, whatever the sizes. A failing projection is then localised element by
    /// element (operands of at most <see cref="GradCheckOptions.LocalizeLimit"/> elements).
    /// </summary>
    public static GradCheckMode Fast(int directions = 4) =>
        directions >= 1 ? new Projections(directions) : throw new ArgumentOutOfRangeException(nameof(directions), "at least one direction");

    /// <summary>
    /// The backward of one cotangent, every element: dx and each parameter cotangent for <paramref name="dy"/> (seeded
    /// standard normal when null) against ∂⟨dy, f⟩/∂x by central differences. One backward and two forwards per element.
    /// </summary>
    /// <param name="dy">The cotangent, shaped as the output (the caller's; not changed); null for a seeded one.</param>
    public static GradCheckMode Cotangent(Tensor? dy = null) => new OneCotangent(dy);

    /// <summary>See <see cref="Auto"/>.</summary>
    /// <param name="FullLimit">Largest number of elements (all operands, and the output) for which the full Jacobian is used.</param>
    public sealed record AutoMode(long FullLimit) : GradCheckMode
    {
        /// <inheritdoc/>
        public override string ToString() => $"auto (full Jacobian up to {FullLimit} elements)";
    }

    /// <summary>See <see cref="Full"/>.</summary>
    public sealed record FullJacobian : GradCheckMode
    {
        /// <inheritdoc/>
        public override string ToString() => "full Jacobian";
    }

    /// <summary>See <see cref="Cotangent"/>.</summary>
    /// <param name="Dy">The cotangent; null for a seeded standard-normal one.</param>
    public sealed record OneCotangent(Tensor? Dy) : GradCheckMode
    {
        /// <inheritdoc/>
        public override string ToString() => Dy is null ? "one seeded cotangent" : "one given cotangent";
    }

    /// <summary>See <see cref="Fast"/>.</summary>
    /// <param name="Directions">Number of seeded (v, u) pairs.</param>
    public sealed record Projections(int Directions) : GradCheckMode
    {
        /// <inheritdoc/>
        public override string ToString() => $"fast, {Directions} random projections";
    }
}

/// <summary>Where the numeric side is evaluated.</summary>
public enum NumericReference
{
    /// <summary>The function run in float64 at the tested point (exact copies of its values): the default.</summary>
    Float64,

    /// <summary>
    /// The function run in its own dtype, for functions that cannot run in float64; steps and tolerances then follow the
    /// dtype's resolution (see <see cref="GradCheckDefaults"/>), and perturbed points are rounded to the dtype (the check
    /// divides by the displacement actually applied).
    /// </summary>
    Native,
}

/// <summary>The subgradient a function claims at a declared non-differentiable point.</summary>
public enum KinkSide
{
    /// <summary>The derivative from the left (ReLU′(0) = 0 is ReLU's left derivative).</summary>
    Left,

    /// <summary>The derivative from the right.</summary>
    Right,

    /// <summary>The mean of both one-sided derivatives (e.g. sign(0) = 0 for |x|).</summary>
    Mean,
}

/// <summary>
/// A declared non-differentiable point of the function, as an input value: elements of <see cref="Operand"/> (every
/// operand when null) within the step of <see cref="At"/> are compared with a one-sided difference instead of the
/// central one — from the side the element lies on, or, exactly at the kink, the side of <see cref="Convention"/> — and
/// are listed in <see cref="GradCheckResult.Kinks"/> rather than failing as a random mismatch.
/// </summary>
/// <param name="At">The input value where the function has a kink.</param>
/// <param name="Convention">The one-sided derivative the backward returns exactly at the kink.</param>
/// <param name="Operand">Name of the operand the kink applies to (e.g. "input 0", "x"); null for all.</param>
/// <param name="Description">The convention in words, for the report (e.g. "ReLU′(0) = 0").</param>
public sealed record Kink(double At, KinkSide Convention, string? Operand = null, string? Description = null)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var side = Convention switch
        {
            KinkSide.Left => "left derivative",
            KinkSide.Right => "right derivative",
            _ => "mean of both sides",
        };
        var at = At.ToString("g6", System.Globalization.CultureInfo.InvariantCulture);
        return Description is null ? $"kink at {at} ({side})" : $"kink at {at} ({side}: {Description})";
    }
}

/// <summary>Step and tolerance for one dtype: a comparison passes when |analytic − numeric| ≤ Atol + Rtol·|numeric|.</summary>
/// <param name="Step">Central-difference step, relative: element e moves by Step·max(1, |x_e|).</param>
/// <param name="Atol">Absolute tolerance.</param>
/// <param name="Rtol">Relative tolerance (times |numeric|).</param>
public sealed record DtypeTolerance(double Step, double Atol, double Rtol);

/// <summary>
/// The default step and tolerance per dtype. With the float64 reference the step is float64's (1e-6) for every dtype and the
/// tolerance is the analytic side's own precision; with the native reference the step is near the cube root of the dtype's
/// machine epsilon (where truncation and rounding errors of a central difference balance) and the tolerance covers both sides.
/// </summary>
public static class GradCheckDefaults
{
    /// <summary>The defaults for a dtype under a numeric reference.</summary>
    public static DtypeTolerance For(ScalarType dtype, NumericReference reference = NumericReference.Float64) =>
        (dtype, reference) switch
        {
            (ScalarType.Float64, _) => new(1e-6, 1e-8, 1e-6),
            (ScalarType.Float32, NumericReference.Float64) => new(1e-6, 1e-5, 1e-4),
            (ScalarType.Float16, NumericReference.Float64) => new(1e-6, 1e-2, 1e-2),
            (ScalarType.BFloat16, NumericReference.Float64) => new(1e-6, 5e-2, 5e-2),
            // eps32 = 1.2e-7: cube root 4.9e-3; FD rounding ≈ eps·|f|/h ≈ 1e-5·|f|.
            (ScalarType.Float32, NumericReference.Native) => new(2e-3, 1e-3, 1e-3),
            // eps16 = 9.8e-4: cube root 0.1; FD rounding ≈ 1e-2·|f|.
            (ScalarType.Float16, NumericReference.Native) => new(5e-2, 5e-2, 5e-2),
            // epsbf16 = 7.8e-3: cube root 0.2; FD rounding ≈ 4e-2·|f|.
            (ScalarType.BFloat16, NumericReference.Native) => new(1e-1, 2e-1, 2e-1),
            _ => throw new NotSupportedException($"gradient checks need a real floating dtype, not {dtype}"),
        };
}

/// <summary>Everything a gradient check can be told; every member has a default (<see cref="Default"/>).</summary>
public sealed record GradCheckOptions
{
    /// <summary>The defaults: auto mode, per-dtype step and tolerance, adaptive step, backward run twice (bitwise equal).</summary>
    public static GradCheckOptions Default { get; } = new();

    /// <summary>Full Jacobian, fast projections, or auto (the default).</summary>
    public GradCheckMode Mode { get; init; } = GradCheckMode.Auto;

    /// <summary>Where the numeric side is evaluated (float64 by default).</summary>
    public NumericReference Reference { get; init; } = NumericReference.Float64;

    /// <summary>Overrides the dtype's default relative step (<see cref="GradCheckDefaults"/>).</summary>
    public double? Step { get; init; }

    /// <summary>Overrides the dtype's default absolute tolerance.</summary>
    public double? Atol { get; init; }

    /// <summary>Overrides the dtype's default relative tolerance.</summary>
    public double? Rtol { get; init; }

    /// <summary>
    /// When a comparison fails, recompute its numeric side at steps h, h/2, h/4 and take the Richardson (Romberg)
    /// extrapolation with the smallest error estimate: a mismatch that came from the step's truncation error disappears,
    /// a wrong gradient stays. On by default.
    /// </summary>
    public bool Adaptive { get; init; } = true;

    /// <summary>Number of steps in the adaptive ladder (h, h/2, …; at least 2).</summary>
    public int AdaptiveLevels { get; init; } = 3;

    /// <summary>How many times the backward runs on the same cotangent (1: no determinism check).</summary>
    public int NonDeterminismRuns { get; init; } = 2;

    /// <summary>
    /// Largest absolute difference allowed between runs of the backward; 0 demands bitwise reproducible runs. When null (the
    /// default), 8 units of rounding of the dtype times the operand's largest gradient entry: CPU BLAS kernels may sum in an
    /// order that depends on buffer alignment (seen: a float64 conv weight cotangent differing by 2e-15 between two runs),
    /// which is not the non-determinism this check is for (atomics, races, randomness in a backward).
    /// </summary>
    public double? NonDeterminismTolerance { get; init; }

    /// <summary>Declared non-differentiable points with the convention the function claims there.</summary>
    public IReadOnlyList<Kink> Kinks { get; init; } = [];

    /// <summary>Also check the gradient of the gradient (autograd subjects only), like PyTorch's gradgradcheck.</summary>
    public bool SecondOrder { get; init; }

    /// <summary>Also check forward mode (J·u by double backward) against the same differences (autograd subjects only).</summary>
    public bool Jvp { get; init; }

    /// <summary>Seed of the random cotangents and directions.</summary>
    public int Seed { get; init; }

    /// <summary>Names of a function's inputs, in order, for reports (default "input 0", "input 1", …).</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>Failures spelled out in <see cref="GradCheckResult.Message"/> (all are in the result).</summary>
    public int MaxReported { get; init; } = 10;

    /// <summary>Largest operand (elements) that a failing fast-mode projection is localised on, element by element.</summary>
    public int LocalizeLimit { get; init; } = 4096;

    /// <summary>The step and tolerance for a dtype: the overrides over <see cref="GradCheckDefaults.For"/>.</summary>
    public DtypeTolerance ToleranceFor(ScalarType dtype)
    {
        var d = GradCheckDefaults.For(dtype, Reference);
        return new(Step ?? d.Step, Atol ?? d.Atol, Rtol ?? d.Rtol);
    }
}
