using System.Text;

namespace LeanMlirVerify.Training.Specs;

public static partial class SpecFile
{
    /// <summary>
    /// The spec file of <paramref name="spec"/>: every argument by name, flow style, one layer a line, so that
    /// <see cref="Parse"/> gives an equal spec back. With <paramref name="dataset"/>, also the dataset and every field of
    /// <paramref name="recipe"/>; <paramref name="folder"/> is where the file will live (plugin paths are written relative to it).
    /// </summary>
    public static string Write(NetSpec spec, DatasetKind? dataset = null, TrainConfig? recipe = null, string? folder = null)
    {
        var sb = new StringBuilder();
        sb.Append("# A network as data (docs/networks.md, \"Spec files\"): lmv params|train|why|bench FILE, lmv check --twin FILE.\n");
        sb.Append($"name: {Quote(spec.Name)}\n");
        sb.Append($"input: {{height: {spec.ImageH}, width: {spec.ImageW}}}\n");
        if (dataset is { } kind)
        {
            // The first name of the layout: "mnist" is any MNIST-format data (lmv train's default is Fashion-MNIST).
            sb.Append($"dataset: {Datasets.First(d => d.Kind == kind).Name}\n");
        }
        if (recipe is not null)
        {
            sb.Append("recipe:\n");
            foreach (var field in RecipeFields) sb.Append($"  {SpecText.Lower(field.Name)}: {SpecText.Value(field.GetValue(recipe)!)}\n");
        }
        var plugins = spec.Layers.OfType<CustomLayer>().Select(c => c.PluginPath).Distinct().ToList();
        if (plugins.Count > 0)
        {
            var from = Path.GetFullPath(folder ?? ".");
            sb.Append($"plugins: [{string.Join(", ", plugins.Select(p => Quote(Path.GetRelativePath(from, p))))}]\n");
        }
        sb.Append("layers:\n");
        foreach (var layer in spec.Layers) sb.Append("  - ").Append(LayerText(layer)).Append('\n');
        return sb.ToString();
    }

    /// <summary>One layer as a spec file writes it: <c>flatten</c>, <c>conv2d: {ic: 1, oc: 32, …}</c>, <c>custom: {type:
    /// …}</c>.</summary>
    public static string LayerText(Layer layer)
    {
        if (layer is CustomLayer custom)
            return $"{CustomLayer.Name}: {{type: "
                + $"{custom.TypeName}{string.Concat(custom.Args.Select(a => $", {a.Key}: {Scalar(a.Value)}"))}}}";
        var ctor = LayerConstructor.For(layer);
        if (ctor.Arguments.Count == 0) return ctor.Name;
        var values = ctor.ValuesOf(layer);
        return $"{ctor.Name}: {{{string.Join(", ", ctor.Arguments.Select((a, i) => $"{a.Name}: {Scalar(values[i])}"))}}}";
    }

    /// <summary>Writes a spec file to <paramref name="path"/> whole or not at all (a temporary file renamed into place).</summary>
    public static void WriteFile(string path, string text, bool overwrite)
    {
        if (!overwrite && File.Exists(path)) throw new IOException($"{path} exists; pass --force to overwrite it");
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    static string Scalar(object value) => value is string s ? Quote(s) : SpecText.Value(value);

    /// <summary>A YAML double-quoted scalar (JSON's escapes are YAML's).</summary>
    static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", _ when c < ' ' => $"\\u{(int)c:x4}", _ => c.ToString() });
        return sb.Append('"').ToString();
    }
}
