using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>Walking a composed network: its rules in forward order, gradients, and moving it to a dtype/device.</summary>
public static class Nodes
{
    /// <summary>This node and every sub-rule, depth first, in forward (parameter) order.</summary>
    public static IEnumerable<IVjpNode> Walk(this IVjpNode node) => node.Children.SelectMany(Walk).Prepend(node);

    /// <summary>Zeroes every parameter's gradient (before a step's pullback).</summary>
    public static void ZeroGrad(this IVjpNode node)
    {
        foreach (var p in node.Parameters) p.ZeroGrad();
    }

    /// <summary>Moves every parameter (value and gradient) to a dtype and device.</summary>
    public static void To(this IVjpNode node, ScalarType dtype, Device device)
    {
        foreach (var p in node.Parameters) p.To(dtype, device);
    }
}
