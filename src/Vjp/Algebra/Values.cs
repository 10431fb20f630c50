using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// A rank-typed value: a thin wrapper over a TorchSharp tensor whose leading dimension is the batch.
/// The rank is part of the C# type, so <see cref="Vjp{TIn,TOut}"/> pieces chain only when ranks meet;
/// the remaining sizes are checked at run time (see <see cref="ShapeMismatchException"/>).
/// </summary>
public interface IValue<TSelf> where TSelf : IValue<TSelf>
{
    /// <summary>The underlying tensor, batch first.</summary>
    Tensor T { get; }

    /// <summary>Number of dimensions of the tensor, batch included.</summary>
    static abstract int Dims { get; }

    /// <summary>Short name used in error messages and derivations.</summary>
    static abstract string RankName { get; }

    /// <summary>Wraps a tensor, checking only its number of dimensions.</summary>
    static abstract TSelf Wrap(Tensor t);
}

/// <summary>Batch of vectors: [B, n].</summary>
public readonly record struct Vec(Tensor T) : IValue<Vec>
{
    public static int Dims => 2;
    public static string RankName => "vector";
    public static Vec Wrap(Tensor t) => new(Shapes.RequireDims(t, Dims, RankName));
    public override string ToString() => $"Vec{Shapes.Format(T)}";
}

/// <summary>Batch of matrices: [B, rows, cols] (tokens × features for transformers).</summary>
public readonly record struct Mat(Tensor T) : IValue<Mat>
{
    public static int Dims => 3;
    public static string RankName => "matrix";
    public static Mat Wrap(Tensor t) => new(Shapes.RequireDims(t, Dims, RankName));
    public override string ToString() => $"Mat{Shapes.Format(T)}";
}

/// <summary>Batch of 3-tensors in NCHW layout: [B, C, H, W].</summary>
public readonly record struct Tensor3(Tensor T) : IValue<Tensor3>
{
    public static int Dims => 4;
    public static string RankName => "3-tensor";
    public static Tensor3 Wrap(Tensor t) => new(Shapes.RequireDims(t, Dims, RankName));
    public override string ToString() => $"Tensor3{Shapes.Format(T)}";
}

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

    /// <summary>Throws unless <paramref name="t"/> matches <paramref name="expected"/> (−1 = any size).</summary>
    public static void Require(Tensor t, long[] expected, string rule, string what)
    {
        var ok = t.dim() == expected.Length;
        for (var i = 0; ok && i < expected.Length; i++) ok = expected[i] < 0 || expected[i] == t.shape[i];
        if (!ok)
            throw new ShapeMismatchException(
                $"{rule}: {what} has shape {Format(t)} but the rule expects {FormatExpected(expected)}");
    }

    /// <summary>Throws unless both tensors have identical shapes.</summary>
    public static void RequireSame(Tensor got, Tensor expected, string rule, string what)
    {
        if (!got.shape.SequenceEqual(expected.shape))
            throw new ShapeMismatchException(
                $"{rule}: {what} has shape {Format(got)} but must equal {Format(expected)}");
    }
}

/// <summary>A shape that does not meet a rule; the message names the rule (and ledger item) and both shapes.</summary>
public sealed class ShapeMismatchException(string message) : Exception(message);
