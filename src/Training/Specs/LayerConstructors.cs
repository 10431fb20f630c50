using System.Reflection;

namespace LeanMlirVerify.Training.Specs;

/// <summary>One argument of a layer constructor: its name as the book's listing writes it and its type.</summary>
public sealed record ConstructorArgument(string Name, Type Type)
{
    /// <summary>What a value of this type looks like, for messages ("a whole number", "relu, relu6 or identity").</summary>
    public string Expected => Describe(Type);

    public static string Describe(Type type) =>
        type == typeof(long) || type == typeof(int) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a string"
        : type.IsEnum
            ? string.Join(", ", Enum.GetNames(type).Select(SpecText.Lower).SkipLast(1)) + " or " + SpecText.Lower(Enum.GetNames(type)[^1])
        : type.Name;
}

/// <summary>
/// A layer constructor as spec files name it: the book's constructor name (<see cref="Layer.Constructor"/>), its factory on
/// <see cref="Layer"/> (arguments in the book's order and with its names) and the record it makes. Found by reflection,
/// so a constructor added under <c>Specs/Layers/</c> is readable and writable with no change here.
/// </summary>
public sealed record LayerConstructor(string Name, Type Record, MethodInfo Factory)
{
    public IReadOnlyList<ConstructorArgument> Arguments { get; } =
        Factory.GetParameters().Select(p => new ConstructorArgument(p.Name!, p.ParameterType)).ToList();

    /// <summary>"ic, oc, k, pad, act": for messages that list what the constructor takes.</summary>
    public string Signature => Arguments.Count == 0 ? "no arguments" : string.Join(", ", Arguments.Select(a => a.Name));

    public Layer Make(object?[] values) => (Layer)Factory.Invoke(null, values)!;

    /// <summary>The layer's argument values in the factory's order, read from the record's properties.</summary>
    public IReadOnlyList<object> ValuesOf(Layer layer) =>
        Arguments.Select(a => Record.GetProperty(char.ToUpperInvariant(a.Name[0]) + a.Name[1..])?.GetValue(layer)
            ?? throw new InvalidOperationException($"{Record.Name} has no property for its factory argument '{a.Name}'")).ToList();

    /// <summary>Every constructor of the library, by name (the custom-layer entry of spec files is not one of them).</summary>
    public static IReadOnlyDictionary<string, LayerConstructor> All { get; } = Discover();

    public static LayerConstructor For(Layer layer) =>
        All.Values.FirstOrDefault(c => c.Record == layer.GetType())
        ?? throw new InvalidOperationException($"{layer.GetType().Name} has no factory on Layer, so spec files cannot name it");

    static Dictionary<string, LayerConstructor> Discover()
    {
        var found = new Dictionary<string, LayerConstructor>(StringComparer.Ordinal);
        foreach (var m in typeof(Layer).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (!m.ReturnType.IsSubclassOf(typeof(Layer)) || m.Name != m.ReturnType.Name) continue;
            // The book's name can depend on the instance (a bestiary layer answers its ledger item): ask a default one.
            var sample = (Layer)m.Invoke(null, m.GetParameters().Select(p => Activator.CreateInstance(p.ParameterType)).ToArray())!;
            found.Add(sample.Constructor, new LayerConstructor(sample.Constructor, m.ReturnType, m));
        }
        return found;
    }
}

/// <summary>How spec files spell enum values and doubles.</summary>
public static class SpecText
{
    public static string Lower(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    public static string Value(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        Enum e => Lower(e.ToString()),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
