namespace LeanMlirVerify.Calculus.Symbolic;

/// <summary>A row-major tensor of expressions: vectors, matrices and 3-/4-tensors of variables or of results.</summary>
public sealed class SymTensor
{
    public int[] Shape { get; }
    public Expr[] Data { get; }

    public SymTensor(int[] shape, Expr[] data)
    {
        if (shape.Aggregate(1, (a, b) => a * b) != data.Length)
            throw new ArgumentException($"shape [{string.Join(",", shape)}] does not hold {data.Length} entries");
        Shape = shape; Data = data;
    }

    /// <summary>The tensor of variables <c>name[i,j,…]</c>.</summary>
    public static SymTensor Vars(string name, params int[] shape)
    {
        var data = new Expr[shape.Aggregate(1, (a, b) => a * b)];
        for (int f = 0; f < data.Length; f++) data[f] = Var.Of(name, shape, Unflatten(shape, f));
        return new SymTensor(shape, data);
    }

    public static SymTensor Build(int[] shape, Func<int[], Expr> entry)
    {
        var data = new Expr[shape.Aggregate(1, (a, b) => a * b)];
        for (int f = 0; f < data.Length; f++) data[f] = entry(Unflatten(shape, f));
        return new SymTensor(shape, data);
    }

    public Expr this[params int[] index] => Data[Flatten(index)];

    /// <summary>Entry or zero outside the bounds (zero padding).</summary>
    public Expr At(params int[] index)
    {
        for (int k = 0; k < index.Length; k++) if (index[k] < 0 || index[k] >= Shape[k]) return Expr.Zero;
        return this[index];
    }

    public int Length => Data.Length;
    public IReadOnlyList<Var> Variables => [.. Data.Cast<Var>()];
    public SymTensor Reshape(params int[] shape) => new(shape, Data);
    public SymTensor Map(Func<Expr, Expr> f) => new(Shape, [.. Data.Select(f)]);

    /// <summary>Row r of a matrix, as a vector.</summary>
    public SymTensor Row(int r) => new([Shape[1]], Data[(r * Shape[1])..((r + 1) * Shape[1])]);

    public static SymTensor StackRows(IReadOnlyList<SymTensor> rows) =>
        new([rows.Count, rows[0].Length], [.. rows.SelectMany(r => r.Data)]);

    int Flatten(int[] index)
    {
        if (index.Length != Shape.Length) throw new ArgumentException(
            $"index of rank {index.Length} into shape [{string.Join(",", Shape)}]");
        int f = 0;
        for (int k = 0; k < index.Length; k++)
        {
            if (index[k] < 0 || index[k] >= Shape[k]) throw new IndexOutOfRangeException(
                $"index [{string.Join(",", index)}] outside shape [{string.Join(",", Shape)}]");
            f = f * Shape[k] + index[k];
        }
        return f;
    }

    static int[] Unflatten(int[] shape, int f)
    {
        var index = new int[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--) { index[k] = f % shape[k]; f /= shape[k]; }
        return index;
    }
}
