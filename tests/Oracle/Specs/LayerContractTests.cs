using System.Reflection;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>
/// One home per layer constructor: every constructor states every per-layer fact itself (its own override), none is
/// answered by a default in a base record.
/// </summary>
public class LayerContractTests
{
    /// <summary>What every constructor knows about itself, and what a trainable one knows besides.</summary>
    static readonly string[] EveryLayer =
        [nameof(Layer.NParams), nameof(Layer.In), nameof(Layer.Out), "get_" + nameof(Layer.Chaining), nameof(Layer.Compact)];

    static readonly string[] EveryTrainableLayer =
    [
        nameof(TrainableLayer.Tensors), nameof(TrainableLayer.Next), nameof(TrainableLayer.Needs), nameof(TrainableLayer.ArgumentProblem),
        nameof(TrainableLayer.Opening), nameof(TrainableLayer.OpeningOn), nameof(TrainableLayer.FitTo), nameof(TrainableLayer.MultiplyAdds),
    ];

    const BindingFlags Own = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    static IEnumerable<Type> Constructors() =>
        typeof(Layer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract).OrderBy(t => t.Name);

    [Fact]
    public void PerLayerMembers_AreAbstract_SoNoConstructorGetsASilentDefault()
    {
        Assert.All(EveryLayer, name => Assert.True(typeof(Layer).GetMethod(name, Own)!.IsAbstract, name));
        Assert.All(EveryTrainableLayer, name => Assert.True(typeof(TrainableLayer).GetMethod(name, Own)!.IsAbstract, name));
        // And the lists above are all of them: a new abstract member joins the check below by being listed here
        // (the compiler's own record members, such as <Clone>$, are not the constructor's facts).
        Assert.Equal(EveryLayer.Order(), AbstractMembers(typeof(Layer)));
        Assert.Equal(EveryTrainableLayer.Order(), AbstractMembers(typeof(TrainableLayer)));
    }

    static IEnumerable<string> AbstractMembers(Type type) =>
        type.GetMethods(Own).Where(m => m.IsAbstract && !m.Name.StartsWith('<')).Select(m => m.Name).Order();

    [Fact]
    public void EveryConstructor_ImplementsEveryPerLayerMemberItself()
    {
        var missing = new List<string>();
        foreach (var type in Constructors())
        {
            var members = typeof(TrainableLayer).IsAssignableFrom(type) ? EveryLayer.Concat(EveryTrainableLayer) : EveryLayer;
            missing.AddRange(members.Where(name => type.GetMethod(name, Own) is null).Select(name => $"{type.Name}.{name}"));
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryConstructor_HasItsFactoryOnLayer()
    {
        var factories = typeof(Layer).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.ReturnType).ToHashSet();
        // A custom layer comes from a spec file's plugin (SpecFile), not from a factory: it is no constructor of the book's.
        Assert.Empty(Constructors().Where(t => !factories.Contains(t) && t != typeof(CustomLayer)).Select(t => t.Name));
    }
}
