// A user's program: checks a custom TorchSharp autograd.Function with the LeanMlirVerify packages.
// Exit code 0 when the correct backward passes and the wrong one fails at the element it is wrong at (samples/run.sh).
using GradCheckSample;
using LeanMlirVerify.Testing;
using LeanMlirVerify.Vjp.GradChecks;
using static TorchSharp.torch;

using var scope = NewDisposeScope();
// One element, x[1, 2] = 25, lies above the softplus threshold (20).
var x = tensor(new[] { -3.0, -0.5, 0.0, 0.7, 2.0, 25.0 }, [2, 3], ScalarType.Float64);
var options = new GradCheckOptions { InputNames = ["x"] };

Console.WriteLine("1. Softplus, correct backward (GradAssert.GradientsMatch, as in an xunit test):");
var good = GradAssert.GradientsMatch(t => Softplus.apply(t), x, options);
Console.WriteLine(good.Message);
Console.WriteLine();

Console.WriteLine("2. Softplus whose backward gives slope 0 above the threshold (GradCheck.Function):");
var bad = GradCheck.Function(t => SoftplusZeroSlopeAboveThreshold.apply(t), x, options);
Console.WriteLine(bad.Message);
Console.WriteLine();

Console.WriteLine("3. The same wrong backward under GradAssert.GradientsMatch:");
bool threw;
try
{
    GradAssert.GradientsMatch(t => SoftplusZeroSlopeAboveThreshold.apply(t), x, options);
    threw = false;
    Console.WriteLine("no exception");
}
catch (GradientMismatchException e)
{
    threw = true;
    Console.WriteLine($"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
}
Console.WriteLine();

bool asExpected = good.Passed && !bad.Passed && threw
    && bad.Failures.All(f => f.Operand == "x" && f.Index.SequenceEqual([1L, 2L]));
Console.WriteLine(asExpected
    ? "sample: as expected: the correct backward passes; the wrong one fails at input 'x' [1, 2] and nowhere else"
    : "sample: NOT as expected (see above)");
return asExpected ? 0 : 1;
