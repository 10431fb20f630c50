using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace LeanMlirVerify.Training.Specs;

public static partial class SpecFile
{
    sealed record Plugin(string Path, Assembly Assembly);

    static List<Plugin> Plugins(Reader r, YamlMappingNode root)
    {
        if (r.Optional(root, "plugins") is not { } node) return [];
        if (node is not YamlSequenceNode list) throw r.At(node, $"'plugins' must be a list of assembly paths, not {Reader.Kind(node)}");
        var folder = Path.GetDirectoryName(Path.GetFullPath(r.File))!;
        return list.Children.Select(item =>
        {
            string given = r.String(item, "a plugin path");
            string full = Path.GetFullPath(Path.Combine(folder, given)); // relative to the spec file, not the current folder
            if (!File.Exists(full)) throw r.At(item, $"plugin '{given}' not found (looked for {full}); build the plugin project first");
            try { return new Plugin(full, SpecPlugins.Load(full)); }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw r.At(item, $"plugin '{given}' cannot be loaded as a .NET assembly: {e.Message}");
            }
        }).ToList();
    }

    /// <summary>One entry of <c>layers</c>: <c>- flatten</c>, <c>- c: {named: …}</c>, <c>- c: [positional, …]</c> or <c>- custom:
    /// {type: …}</c>.</summary>
    static Layer LayerAt(Reader r, YamlNode node, int index, List<Plugin> plugins)
    {
        YamlNode nameNode, args;
        if (node is YamlScalarNode bare) (nameNode, args) = (bare, bare);
        else if (node is YamlMappingNode { Children.Count: 1 } one) (nameNode, args) = (one.Children[0].Key, one.Children[0].Value);
        else throw r.At(node, $"layer {index}: expected '- constructor: {{argument: value, …}}' (one key), not {Reader.Kind(node)}");
        string name = r.Key(nameNode);
        if (name == CustomLayer.Name) return Custom(r, args, index, plugins);
        if (!LayerConstructor.All.TryGetValue(name, out var ctor))
            throw r.At(
                nameNode,
                $"layer {index}: unknown constructor '{name}' (known: "
                + $"{string.Join(", ", LayerConstructor.All.Keys.Order(StringComparer.Ordinal))}, "
                + $"{CustomLayer.Name})");
        var values = Bind(r, ReferenceEquals(args, nameNode) ? null : args, node, ctor.Arguments.Select(a => (a.Name, a.Type)).ToList(),
            $"layer {index} ({name})", $"{name} takes {ctor.Signature}", positional: true);
        return ctor.Make(values);
    }

    static CustomLayer Custom(Reader r, YamlNode args, int index, List<Plugin> plugins)
    {
        string where = $"layer {index} ({CustomLayer.Name})";
        if (args is not YamlMappingNode m) throw r.At(
            args, $"{where}: expected {{type: Namespace.Type, argument: value, …}}, not {Reader.Kind(args)}");
        var typeNode = r.Required(m, "type", "the custom layer's type (Namespace.Type, from one of the file's plugins)");
        string typeName = r.String(typeNode, "type");
        var type = plugins.Select(p => p.Assembly.GetType(typeName)).FirstOrDefault(t => t is not null);
        if (type is null)
        {
            var offered = plugins.SelectMany(p => SpecPlugins.CustomLayerTypes(p.Assembly)).Select(t => t.FullName).ToList();
            throw r.At(typeNode, plugins.Count == 0
                ? $"{where}: type '{typeName}' not found: the file names no plugins (plugins: [path/to/Assembly.dll])"
                : $"{where}: type '{typeName}' is in none of the plugins "
                    + $"({string.Join(", ", plugins.Select(p => Path.GetFileName(p.Path)))}); "
                  + $"their custom layers: {(offered.Count == 0 ? "none" : string.Join(", ", offered))}");
        }
        if (!typeof(ICustomLayer).IsAssignableFrom(type) || type.IsAbstract)
            throw r.At(typeNode, $"{where}: type '{typeName}' is not a concrete class implementing {typeof(ICustomLayer).FullName}");
        var ctors = type.GetConstructors();
        if (ctors.Length != 1) throw r.At(
            typeNode, $"{where}: type '{typeName}' must have exactly one public constructor, not {ctors.Length}");
        var parameters = ctors[0].GetParameters().Select(p => (p.Name!, p.ParameterType)).ToList();
        var signature = $"{typeName} takes {(parameters.Count == 0 ? "no arguments" : string.Join(", ", parameters.Select(p => p.Item1)))}";
        var values = Bind(r, m, m, parameters, $"{where} {typeName}", signature, positional: false, skip: "type");
        ICustomLayer impl;
        try { impl = (ICustomLayer)ctors[0].Invoke(values); }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or InvalidOperationException)
        {
            throw r.At(m, $"{where}: {typeName} refused its arguments: {e.InnerException.Message}");
        }
        return new CustomLayer(typeName, parameters.Select((p, i) => new KeyValuePair<string, object>(p.Item1, values[i]!)).ToList(), impl);
    }

    /// <summary>Binds named (a mapping) or positional (a list) arguments to the parameters, naming the culprit on failure.</summary>
    static object?[] Bind(
        Reader r, YamlNode? args, YamlNode anchor, List<(string Name, Type Type)> parameters, string where, string signature,
        bool positional, string? skip = null)
    {
        var values = new object?[parameters.Count];
        var given = new YamlNode?[parameters.Count];
        switch (args)
        {
            case null:
            case YamlScalarNode { Value: null or "" }:
                break;
            case YamlMappingNode m:
                foreach (var (key, value) in m.Children)
                {
                    if (r.Key(key) == skip) continue;
                    int i = parameters.FindIndex(p => p.Name == r.Key(key));
                    if (i < 0) throw r.At(key, $"{where}: unknown argument '{r.Key(key)}' ({signature})");
                    given[i] = value;
                }
                break;
            case YamlSequenceNode s when positional:
                if (s.Children.Count != parameters.Count)
                    throw r.At(s, $"{where}: {s.Children.Count} arguments given, {signature} ({parameters.Count})");
                for (int i = 0; i < parameters.Count; i++) given[i] = s.Children[i];
                break;
            default:
                throw r.At(
                    args, $"{where}: expected its arguments as {{name: value, …}}{(positional ? " or [value, …]" : "")}, not "
                    + $"{Reader.Kind(args)}");
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, type) = parameters[i];
            if (given[i] is not { } value) throw r.At(anchor, $"{where}: missing argument '{name}' ({signature})");
            values[i] = r.Value(value, type, $"{where}: argument '{name}'");
        }
        return values;
    }

    /// <summary>Reads typed values out of nodes; every failure is a <see cref="SpecFileException"/> at the node.</summary>
    sealed class Reader(string file)
    {
        public string File => file;

        public SpecFileException At(YamlNode node, string problem) => new(file, node.Start.Line, node.Start.Column, problem);

        public string Key(YamlNode key) =>
            key is YamlScalarNode { Value: { } s } ? s : throw At(key, $"expected a name here, not {Kind(key)}");

        public YamlNode? Optional(YamlMappingNode m, string key) =>
            m.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var k } && k == key).Value;

        public YamlNode Required(YamlMappingNode m, string key, string what) =>
            Optional(m, key) ?? throw At(m, $"missing '{key}:' ({what})");

        public string String(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { Length: > 0 } s } ? s
                : throw At(node, $"'{what}' must be a non-empty string, not {Kind(node)}");

        public int Size(YamlNode node, string what) =>
            (int)Value(node, typeof(int), what) is var n && n >= 1 ? n : throw At(node, $"'{what}' must be at least 1, not {n}");

        public object Value(YamlNode node, Type type, string what)
        {
            var text = node is YamlScalarNode { Value: { } s } ? s : null;
            object? value = text is null ? null
                : type == typeof(long)
                    ? (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null)
                : type == typeof(int)
                    ? (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null)
                : type == typeof(double) ? (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null)
                : type == typeof(bool) ? text switch { "true" => true, "false" => false, _ => null }
                : type == typeof(string) ? text
                : type.IsEnum ? Enum.GetNames(type).FirstOrDefault(e => SpecText.Lower(e) == text) is { } e ? Enum.Parse(type, e) : null
                : throw new NotSupportedException($"{what}: arguments of type {type.Name} cannot be given in a spec file");
            return value
                ?? throw At(node, $"{what} must be {ConstructorArgument.Describe(type)}, not {(text is null ? Kind(node) : $"'{text}'")}");
        }

        public static string Kind(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode { Value: null or "" } => "nothing",
            YamlScalarNode s => $"'{s.Value}'",
            _ => node.NodeType.ToString(),
        };
    }
}
