using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// Networks as YAML files (docs/networks.md, "Spec files"): <c>name</c>, <c>input</c> (height and width, or a flat
/// width), <c>layers</c> with the book's constructor names and argument names (<see cref="LayerConstructor"/>), and for
/// <c>lmv train</c> a <c>dataset</c> and optional <c>recipe</c> keys (<see cref="TrainConfig"/>'s fields); <c>plugins</c>
/// and <c>custom</c> layers for rules written outside the library (<see cref="ICustomLayer"/>). Read with YamlDotNet's
/// node model so every error names the file, line and column of the node at fault.
/// </summary>
public static partial class SpecFile
{
    public static readonly string[] Keys = ["name", "input", "dataset", "recipe", "plugins", "layers"];

    /// <summary>Dataset names a file may give, and the data layout each trains on.</summary>
    public static readonly IReadOnlyList<(string Name, DatasetKind Kind)> Datasets =
        [("mnist", DatasetKind.Mnist), ("fashion-mnist", DatasetKind.Mnist), ("cifar10", DatasetKind.Cifar10),
            ("imagenette", DatasetKind.Imagenette)];

    /// <summary>True when <paramref name="nameOrPath"/> names a spec file rather than a net (it ends in .yaml or .yml).</summary>
    public static bool IsPath(string nameOrPath) =>
        nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The recipe a file's dataset trains with when it gives no <c>recipe</c> keys: the repo's trainer recipe of that layout
    /// (MNIST: Adam 1e-3, wd 1e-4, cosine, 12 epochs; CIFAR-10: the CIFAR trainers', 30 epochs; Imagenette: ResNet-34's).
    /// </summary>
    public static TrainConfig DefaultRecipe(DatasetKind? kind) => kind switch
    {
        DatasetKind.Cifar10 => Recipes.CifarTrainer(30),
        DatasetKind.Imagenette => Recipes.R34Full,
        _ => Recipes.MnistAdamCosine(12),
    };

    /// <summary>Reads and validates a spec file; throws <see cref="SpecFileException"/> naming file, line and column.</summary>
    public static SpecDocument Read(string path)
    {
        if (!File.Exists(path))
            throw new SpecFileException(path, 0, 0, $"no such spec file (looked for {Path.GetFullPath(path)})");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecFileException(path, 0, 0, $"cannot be read: {e.Message}");
        }
        return Parse(path, text);
    }

    /// <summary>Reads a spec from <paramref name="text"/>; <paramref name="path"/> names it in messages and anchors plugin paths.</summary>
    public static SpecDocument Parse(string path, string text)
    {
        var root = Root(path, text);
        var r = new Reader(path);
        foreach (var (key, _) in root.Children)
            if (!Keys.Contains(r.Key(key))) throw r.At(key, $"unknown key '{r.Key(key)}' (a spec file has {string.Join(", ", Keys)})");
        string name = r.String(r.Required(root, "name", "the net's display name"), "name");
        var (h, w) = Input(r, root);
        DatasetKind? dataset = null;
        if (r.Optional(root, "dataset") is { } d)
        {
            string given = r.String(d, "dataset");
            dataset = Datasets.FirstOrDefault(x => x.Name == given) is { Name: not null } found ? found.Kind
                : throw r.At(d, $"unknown dataset '{given}' (expected {string.Join(", ", Datasets.Select(x => x.Name))})");
        }
        var recipe = Recipe(r, root, DefaultRecipe(dataset));
        var plugins = Plugins(r, root);
        var layersNode = r.Required(root, "layers", "the list of layers");
        if (layersNode is not YamlSequenceNode list || list.Children.Count == 0)
            throw r.At(layersNode, "'layers' must be a non-empty list of layers (- constructor: {argument: value, …})");
        var layers = list.Children.Select((node, i) => LayerAt(r, node, i, plugins)).ToList();
        var spec = new NetSpec(name, layers, h, w);
        Validate(r, spec, list);
        return new SpecDocument(path, spec, dataset, recipe, plugins.Select(p => p.Path).ToList());
    }

    static YamlMappingNode Root(string path, string text)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try { stream.Load(parser); }
        catch (YamlException e) when (e.Start.Line > 0)
        {
            throw new SpecFileException(
                path, e.Start.Line, e.Start.Column, $"YAML syntax error: {(e.InnerException?.Message ?? e.Message).Trim()}");
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // YamlDotNet reports an unclosed [ or { late and sometimes without a position: say where parsing stopped.
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new SpecFileException(path, Math.Max(1, at.Line), Math.Max(1, at.Column), $"YAML syntax error: {e.Message.Trim()}");
        }
        if (stream.Documents.Count == 0)
            throw new SpecFileException(path, 1, 1, "the file is empty; a spec file is a YAML mapping with at least 'name:' and 'layers:'");
        if (stream.Documents.Count > 1)
            throw new SpecFileException(path, stream.Documents[1].RootNode.Start.Line, stream.Documents[1].RootNode.Start.Column,
                "a spec file holds one YAML document, this is a second");
        var node = stream.Documents[0].RootNode;
        return node as YamlMappingNode ?? throw new SpecFileException(path, node.Start.Line, node.Start.Column,
            $"the top level must be a mapping ({string.Join(", ", Keys)}), not {Reader.Kind(node)}");
    }

    static (int H, int W) Input(Reader r, YamlMappingNode root)
    {
        if (r.Optional(root, "input") is not { } input) return (28, 28); // the book's NetSpec defaults
        if (input is not YamlMappingNode m) throw r.At(
            input, $"'input' must be {{height: H, width: W}} or {{flat: N}}, not {Reader.Kind(input)}");
        foreach (var (key, _) in m.Children)
            if (r.Key(key) is not ("height" or "width" or "flat")) throw r.At(
                key, $"unknown input key '{r.Key(key)}' (expected height and width, or flat)");
        if (r.Optional(m, "flat") is { } flat)
        {
            if (m.Children.Count > 1) throw r.At(input, "'input' is either {height: H, width: W} or {flat: N}, not both");
            return (r.Size(flat, "flat"), 1);
        }
        return (r.Size(r.Required(m, "height", "the input height"), "height"), r.Size(r.Required(m, "width", "the input width"), "width"));
    }

    static TrainConfig Recipe(Reader r, YamlMappingNode root, TrainConfig basis)
    {
        if (r.Optional(root, "recipe") is not { } node) return basis;
        if (node is not YamlMappingNode m) throw r.At(node, $"'recipe' must be a mapping of TrainConfig fields, not {Reader.Kind(node)}");
        var fields = RecipeFields.ToDictionary(p => SpecText.Lower(p.Name), StringComparer.Ordinal);
        var values = RecipeFields.ToDictionary(p => p.Name, p => p.GetValue(basis)!);
        foreach (var (key, value) in m.Children)
        {
            string k = r.Key(key);
            if (!fields.TryGetValue(k, out var field))
                throw r.At(key, $"unknown recipe key '{k}' (expected {string.Join(", ", fields.Keys)})");
            values[field.Name] = r.Value(value, field.PropertyType, $"recipe key '{k}'");
        }
        var config = new TrainConfig((double)values["LearningRate"], (int)values["BatchSize"], (int)values["Epochs"]);
        foreach (var p in RecipeFields.Where(p => p.SetMethod is not null)) p.SetValue(config, values[p.Name]);
        if (config.BatchSize < 1 || config.Epochs < 1 || !(config.LearningRate > 0))
            throw r.At(node, $"the recipe needs batchSize and epochs of at least 1 and a positive learningRate, not batchSize "
                + $"{config.BatchSize}, epochs {config.Epochs}, learningRate {config.LearningRate.ToString(CultureInfo.InvariantCulture)}");
        return config;
    }

    /// <summary>TrainConfig's settable fields, in declaration order (a file's recipe keys are their camelCase names).</summary>
    public static IReadOnlyList<System.Reflection.PropertyInfo> RecipeFields { get; } =
        typeof(TrainConfig).GetProperties().Where(p => p.CanWrite && p.Name != "EqualityContract").ToList();

    /// <summary>Runs the spec's checks and places a failure at its layer: shape inference, or the channel validator for specs
    /// with accounting-only layers (as <c>lmv params</c> does).</summary>
    static void Validate(Reader r, NetSpec spec, YamlSequenceNode layers)
    {
        try
        {
            if (spec.Layers.All(l => l.IsTrainable)) ShapeInference.Infer(spec);
            else Channels.Validate(spec);
        }
        catch (SpecException e)
        {
            var node = layers.Children[Math.Clamp(e.LayerIndex, 0, layers.Children.Count - 1)];
            throw r.At(
                node, $"layer {e.LayerIndex}{(e.Layer is null ? "" : $" ({e.Layer.Constructor} {e.Layer.Compact()})")}: {e.Problem}");
        }
    }
}
