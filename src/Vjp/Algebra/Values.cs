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

