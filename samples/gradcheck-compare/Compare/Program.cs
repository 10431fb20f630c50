// Our side of samples/gradcheck-compare: the cases of compare.py through GradCheck.Function, default (auto: the full
// Jacobian up to 256 elements, fast above) and fast mode (4 random projections), timed. Prints Markdown rows.
// Usage: dotnet run --project samples/gradcheck-compare/Compare -c Release [-- REPS]
using System.Diagnostics;
using LeanMlirVerify.Samples.CustomFunctions;
using LeanMlirVerify.Vjp.GradChecks;
using TorchSharp;
using static TorchSharp.torch;

int reps = args.Length > 0 ? int.Parse(args[0]) : 5;
set_num_threads(1);

// The same float64 values as compare.py: scale·f(1.3k + phase), k = 0…n−1.
static Tensor Points(int n, long[] shape, double phase = 0.7, double scale = 1.5, Func<double, double>? f = null) =>
    tensor(Enumerable.Range(0, n).Select(k => scale * (f ?? Math.Sin)(1.3 * k + phase)).ToArray(), shape, ScalarType.Float64);

static Tensor X24() => Points(24, [4, 6]);

static Tensor WithZeros()
{
    var v = Enumerable.Range(0, 24).Select(k => k % 5 == 0 ? 0.0 : 1.5 * Math.Sin(1.3 * k + 0.7)).ToArray();
    return tensor(v, [4, 6], ScalarType.Float64);
}

var reluConvention = new Kink(0, KinkSide.Left, Description: "ReLU′(0) = 0");
var declared = new GradCheckOptions { Kinks = [reluConvention] };
var secondOrder = new GradCheckOptions { SecondOrder = true };
var abc = new GradCheckOptions { InputNames = ["a", "b", "c"] };

// (name, should, function, inputs, options): the same cases, in the same order, as compare.py; plus the kink declared.
var cases = new (string Name, string Should, Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs, GradCheckOptions Options)[]
{
    ("correct backward (x², 4×6)", "pass", xs => Square.apply(xs[0]), () => [X24()], GradCheckOptions.Default),
    ("wrong in one element of 24 (1 %)", "fail", xs => SquareWrongAtOneElement.apply(xs[0]), () => [X24()],
        GradCheckOptions.Default),
    ("wrong for one input of three (a·b²·c, b's factor 2 forgotten)", "fail",
        xs => TimesSquareTimesForgetsTwo.apply(xs[0], xs[1], xs[2]),
        () => [X24(), Points(24, [4, 6], 0.3, 1.2, Math.Cos), Points(24, [4, 6], 1.1, 0.9)], abc),
    ("backward scaled by 1.001 (tanh)", "fail", xs => TanhScaledBy1001.apply(xs[0]), () => [X24()], GradCheckOptions.Default),
    ("first order of x³ with a detached factor", "pass", xs => CubeWithDetachedFactor.apply(xs[0]), () => [X24()],
        GradCheckOptions.Default),
    ("second order of the same (SecondOrder = true)", "fail", xs => CubeWithDetachedFactor.apply(xs[0]), () => [X24()],
        secondOrder),
    ("correct backward, float32 input", "pass", xs => Square.apply(xs[0]), () => [X24().to(ScalarType.Float32)],
        GradCheckOptions.Default),
    ("wrong in one element (1 %), float32 input", "fail", xs => SquareWrongAtOneElement.apply(xs[0]),
        () => [X24().to(ScalarType.Float32)], GradCheckOptions.Default),
    ("ReLU at exact zeros (backward 0 there, the convention)", "pass", xs => xs[0].relu(), () => [WithZeros()],
        GradCheckOptions.Default),
    ("ReLU at exact zeros, backward claims 1 there", "fail", xs => ReluOneAtZero.apply(xs[0]), () => [WithZeros()],
        GradCheckOptions.Default),
    ("correct backward (x², 64×64)", "pass", xs => Square.apply(xs[0]), () => [Points(4096, [64, 64])],
        GradCheckOptions.Default),
    ("wrong in one element of 4096 (1 %, 64×64)", "fail", xs => SquareWrongAtOneElement.apply(xs[0]),
        () => [Points(4096, [64, 64])], GradCheckOptions.Default),
    ("ReLU at exact zeros, kink declared (ReLU′(0) = 0)", "pass", xs => xs[0].relu(), () => [WithZeros()], declared),
    ("ReLU at exact zeros, backward claims 1 there, kink declared (ReLU′(0) = 0)", "fail", xs => ReluOneAtZero.apply(xs[0]),
        () => [WithZeros()], declared),
};

static (string Verdict, string Says) Run(Func<Tensor[], Tensor> f, Tensor[] inputs, GradCheckOptions options)
{
    using var scope = NewDisposeScope();
    var r = GradCheck.Function(f, inputs, options);
    var lines = r.Message.Split('\n');
    string says = r.Passed ? lines[0] : $"{lines[1]} ({r.Failures.Count} failing of {r.Comparisons.Count})";
    return (r.Passed ? "pass" : "FAIL", says);
}

static double Median(IEnumerable<double> xs)
{
    var s = xs.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}

double Timed(Func<Tensor[], Tensor> f, Func<Tensor[]> inputs, GradCheckOptions options)
{
    using (NewDisposeScope()) Run(f, inputs(), options); // warm-up (JIT)
    var times = new List<double>();
    for (int i = 0; i < reps; i++)
    {
        using var scope = NewDisposeScope();
        var xs = inputs();
        var clock = Stopwatch.StartNew();
        Run(f, xs, options);
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    return Median(times);
}

var torchSharp = typeof(torch).Assembly.GetName().Version;
Console.WriteLine($"LeanMlirVerify.Vjp GradCheck, TorchSharp {torchSharp} (libtorch {torch.__version__}), {get_num_threads()} thread(s); "
    + $"median of {reps} runs after a warm-up");
Console.WriteLine();
Console.WriteLine("| case | should | ours default | ms | ours fast | ms | ours says (default) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var c in cases)
{
    using var scope = NewDisposeScope();
    var fast = c.Options with { Mode = GradCheckMode.Fast() };
    var (verdict, says) = Run(c.F, c.Inputs(), c.Options);
    var (fastVerdict, _) = Run(c.F, c.Inputs(), fast);
    double ms = Timed(c.F, c.Inputs, c.Options), fastMs = Timed(c.F, c.Inputs, fast);
    Console.WriteLine($"| {c.Name} | {c.Should} | {verdict} | {ms:F1} | {fastVerdict} | {fastMs:F1} | {says.Replace("|", "/")} |");
}

// Fast mode's power on the 4096-element case: its random projections depend on the seed.
Console.WriteLine();
int caught = 0;
for (int seed = 0; seed < 20; seed++)
{
    using var scope = NewDisposeScope();
    var options = new GradCheckOptions { Mode = GradCheckMode.Fast(), Seed = seed };
    caught += Run(xs => SquareWrongAtOneElement.apply(xs[0]), [Points(4096, [64, 64])], options).Verdict == "FAIL" ? 1 : 0;
}
Console.WriteLine($"wrong in one element of 4096, fast mode (4 projections), Seed = 0…19: caught {caught} of 20");
