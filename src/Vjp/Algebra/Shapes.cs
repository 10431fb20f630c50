using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>Shape helpers shared by every rule: formatting and the checks that name the culprit.</summary>
public static class Shapes
{
    public static string Format(Tensor t) => Format(t.shape);

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    /// <summary>Formats an expected shape where −1 means "any" (printed as *).</summary>
    public static string FormatExpected(long[] expected) =>
        "[" + string.Join(",", expected.Select(d => d < 0 ? "*" : d.ToString())) + "]";

    internal static Tensor RequireDims(Tensor t, int dims, string rank) =>
        t.dim() == dims
            ? t
            : throw new ShapeMismatchException($"a {rank} needs {dims} dimensions (batch first) but got {Format(t)}");

    /// <summary>
    /// t's sizes by one native query per axis. TorchSharp's <c>shape</c> marshals the sizes through a pinned callback array:
    /// about 0.7 µs and 136 bytes a call against 25 ns for <c>size(i)</c> (measured), and a batch-1 MLP step made some 70
    /// such calls in its checks, a sixth of the step. The checks below read sizes the same way.
    /// </summary>
    public static long[] Of(Tensor t)
    {
        var shape = new long[t.dim()];
        for (var i = 0; i < shape.Length; i++) shape[i] = t.size(i);
        return shape;
    }

    /// <summary>Throws unless <paramref name="t"/> matches <paramref name="expected"/> (−1 = any size).</summary>
    public static void Require(Tensor t, long[] expected, string rule, string what)
    {
        var ok = t.dim() == expected.Length;
        for (var i = 0; ok && i < expected.Length; i++) ok = expected[i] < 0 || expected[i] == t.size(i);
        if (!ok)
            throw new ShapeMismatchException(
                $"{rule}: {what} has shape {Format(t)} but the rule expects {FormatExpected(expected)}");
    }

    /// <summary>Throws unless both tensors have identical shapes.</summary>
    public static void RequireSame(Tensor got, Tensor expected, string rule, string what) => RequireSame(got, Of(expected), rule, what);

    /// <summary>As above against a recorded shape (a pullback keeps shapes, not the forward's tensors).</summary>
    public static void RequireSame(Tensor got, long[] expected, string rule, string what)
    {
        var ok = got.dim() == expected.Length;
        for (var i = 0; ok && i < expected.Length; i++) ok = got.size(i) == expected[i];
        if (!ok)
            throw new ShapeMismatchException(
                $"{rule}: {what} has shape {Format(got)} but must equal {Format(expected)}");
    }
}

/// <summary>A shape that does not meet a rule; the message names the rule (and ledger item) and both shapes.</summary>
public sealed class ShapeMismatchException(string message) : Exception(message);
