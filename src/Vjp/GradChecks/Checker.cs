using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.GradChecks;

/// <summary>
/// One run of a check on a subject: full Jacobian or fast projections (<c>Checker.Full.cs</c>, <c>Checker.Fast.cs</c>),
/// then the determinism check. Reverse-mode comparisons carry <see cref="reverse"/> (VJP, or SecondOrder when the subject
/// is the gradient of another).
/// </summary>
internal sealed partial class Checker
{
    readonly Subject subject;
    readonly GradCheckOptions options;
    readonly CheckKind reverse;
    readonly Tensor[] point;
    readonly long[] outputShape;
    readonly Device device;
    readonly DtypeTolerance tol;
    readonly Differences diffs;
    readonly Random rng;
    readonly List<Comparison> comparisons = [];
    readonly List<string> notes = [];

    public Checker(Subject subject, GradCheckOptions options, CheckKind reverse)
    {
        this.subject = subject;
        this.options = options;
        this.reverse = reverse;
        point = [.. subject.Operands.Select(o => o.Value)];
        using (NewDisposeScope())
        {
            var y = subject.Forward(point);
            (Dtype, outputShape, device) = (y.dtype, y.shape, y.device);
        }
        if (!IsReal(Dtype))
            throw new NotSupportedException($"GradCheck: {subject.Title} returns {Dtype}; gradients are checked on real floating outputs");
        foreach (var o in subject.Operands.Where(o => !IsReal(o.Value.dtype)))
            throw new NotSupportedException(
                $"GradCheck: {o.Kind.ToString().ToLowerInvariant()} '{o.Name}' is {o.Value.dtype}; capture non-differentiable "
                + "arguments in the function instead of passing them as inputs");
        tol = options.ToleranceFor(Dtype);
        diffs = new Differences(subject, options.Reference);
        rng = new Random(options.Seed);
        Mode = options.Mode is GradCheckMode.AutoMode auto
            ? (subject.Operands.Sum(o => o.Value.numel()) <= auto.FullLimit && Outputs <= auto.FullLimit
                ? GradCheckMode.Full : GradCheckMode.Fast())
            : options.Mode;
    }

    /// <summary>The analytic side's dtype: the subject's output at the tested point.</summary>
    public ScalarType Dtype { get; }

    /// <summary>The mode as resolved (auto becomes full or fast).</summary>
    public GradCheckMode Mode { get; }

    public IReadOnlyList<Comparison> Comparisons => comparisons;

    public IReadOnlyList<string> Notes => notes;

    long Outputs => outputShape.Aggregate(1L, (a, b) => a * b);

    public void Run()
    {
        if (options.Jvp && subject is not AutogradSubject)
            throw new NotSupportedException($"GradCheck: {subject.Title} has no forward mode (Jvp needs an autograd function or module)");
        if (Mode is GradCheckMode.Projections fast) Fast(fast.Directions);
        else if (Mode is GradCheckMode.OneCotangent one) OneCotangent(one.Dy);
        else Full();
        if (options.NonDeterminismRuns > 1) Determinism();
    }

    /// <summary>The backward on a cotangent given as values, read back per operand.</summary>
    double[][] Backward(double[] dy)
    {
        using var scope = NewDisposeScope();
        var cotangent = tensor(dy, outputShape, ScalarType.Float64).to(Dtype, device);
        return [.. subject.Backward(point, cotangent).Select(Differences.Values)];
    }

    /// <summary>Seeded standard-normal values, rounded to the analytic dtype (both sides then use the same numbers).</summary>
    double[] Gaussians(long n, ScalarType dtype)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
            values[i] = Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
        using var scope = NewDisposeScope();
        return Differences.Values(tensor(values, ScalarType.Float64).to(dtype));
    }

    /// <summary>The relative step of element e of operand p: Step·max(1, |x|).</summary>
    double StepOf(int p, int e) => tol.Step * Math.Max(1, Math.Abs(diffs.X[p][e]));

    /// <summary>The declared kink that element e of operand p lies within <paramref name="reach"/> of, if any.</summary>
    Kink? KinkNear(int p, int e, double reach)
    {
        var name = subject.Operands[p].Name;
        return options.Kinks.FirstOrDefault(k => (k.Operand is null || k.Operand == name) && Math.Abs(diffs.X[p][e] - k.At) <= reach);
    }

    /// <summary>Near a kink: the side the element lies on; exactly at it, the side the function's convention claims.</summary>
    static Stencil SideOf(double x, Kink? k) =>
        k is null ? Stencil.Central
        : x > k.At ? Stencil.Right
        : x < k.At ? Stencil.Left
        : k.Convention switch { KinkSide.Left => Stencil.Left, KinkSide.Right => Stencil.Right, _ => Stencil.Central };

    static string MethodOf(Stencil s) => s switch
    {
        Stencil.Left => "left-sided FD",
        Stencil.Right => "right-sided FD",
        _ => "central FD",
    };

    /// <summary>A numeric column with the adaptive ladder: central differences at h, h/2, … extrapolated (Richardson).</summary>
    double[] Ladder(int p, int e, double h, double[] first)
    {
        var levels = new List<double[]> { first };
        for (var l = 1; l < Math.Max(2, options.AdaptiveLevels); l++) levels.Add(diffs.Column(p, e, h / Math.Pow(2, l), Stencil.Central));
        return [.. Enumerable.Range(0, first.Length).Select(o => Richardson.Extrapolate([.. levels.Select(c => c[o])]).Value)];
    }

    /// <summary>The bound at a scale (|numeric|, or the size of the terms behind it) under this dtype's tolerances.</summary>
    double BoundAt(double scale) => Agreement.Bound(tol.Atol, tol.Rtol, scale);

    string LadderMethod => $"Richardson of central FD at h…h/{1 << (Math.Max(2, options.AdaptiveLevels) - 1)}";

    Comparison Compare(CheckKind check, int p, long[] index, long[]? output, int? direction, double analytic, double numeric,
        double bound, double h, string method, Kink? kink = null, string? note = null)
    {
        var operand = subject.Operands[p];
        var label = output is null ? null : subject.OutputLabel(Flat(output, outputShape));
        var c = Agreement.Judge(check, operand.Name, operand.Kind, index, output, direction, analytic, numeric, bound, tol.Atol,
            tol.Rtol, h, method, kink, note, label);
        comparisons.Add(c);
        return c;
    }

    /// <summary>
    /// The backward run <see cref="GradCheckOptions.NonDeterminismRuns"/> times on one cotangent; every run against the first.
    /// </summary>
    void Determinism()
    {
        var v = Gaussians(Outputs, Dtype);
        var first = Backward(v);
        for (var run = 2; run <= options.NonDeterminismRuns; run++)
        {
            var again = Backward(v);
            for (var p = 0; p < first.Length; p++)
            {
                var operand = subject.Operands[p];
                var scale = first[p].Select(Math.Abs).DefaultIfEmpty(0).Max();
                var bound = options.NonDeterminismTolerance ?? 8 * Epsilon(Dtype) * scale;
                for (var e = 0; e < first[p].Length; e++)
                {
                    var (a, b) = (first[p][e], again[p][e]);
                    var same = a.Equals(b) || Math.Abs(a - b) <= bound;
                    comparisons.Add(new(CheckKind.Determinism, operand.Name, operand.Kind, Differences.Unravel(e, diffs.Shapes[p]), null,
                        null, a, b, bound, bound, 0, 0, $"backward run {run}", same));
                }
            }
        }
    }

    /// <summary>The dtype's machine epsilon (spacing of floating numbers at 1).</summary>
    static double Epsilon(ScalarType t) => t switch
    {
        ScalarType.Float32 => Math.Pow(2, -23),
        ScalarType.Float16 => Math.Pow(2, -10),
        ScalarType.BFloat16 => Math.Pow(2, -7),
        _ => Math.Pow(2, -52),
    };

    static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    /// <summary>‖a ⊙ b‖₂: the size of a dot product's terms, a cancellation-free scale for its rounding error.</summary>
    static double TermNorm(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i] * (a[i] * b[i]);
        return Math.Sqrt(s);
    }

    static long Flat(long[] index, long[] shape)
    {
        var flat = 0L;
        for (var d = 0; d < shape.Length; d++) flat = flat * shape[d] + index[d];
        return flat;
    }

    static bool IsReal(ScalarType t) => t is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;
}
