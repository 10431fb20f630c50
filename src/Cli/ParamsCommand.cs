using System.CommandLine;
using System.Globalization;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>
/// <c>lmv params [NET]</c>: a net's parameter accounting and the data <c>lmv train NET</c> reads by default, or the list
/// of known nets. NET is any name <c>lmv train</c> takes, bestiary specs included (their Fashion-MNIST variant).
/// </summary>
static class ParamsCommand
{
    public static Command Create()
    {
        var net = new Argument<string?>("net")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "a net name (lmv params lists them), a bestiary spec that trains here (lmv bestiary), or a spec file (NET.yaml)",
        };
        var format = new Option<string>("--format")
        {
            Description = "table (default) or yaml: the net as a spec file",
            DefaultValueFactory = _ => "table"
        };
        format.AcceptOnlyFromAmong("table", "yaml");
        var output = new Option<string?>("--out") { Description = "with --format yaml: write the spec file here instead of stdout" };
        var force = new Option<bool>("--force") { Description = "with --out: overwrite an existing file" };
        var command = new Command("params", "Parameter count, per-layer table, BN layers and BN stat floats of a net.")
        {
            net, format, output, force
        };
        command.SetAction(r => r.GetValue(format) == "yaml"
            ? WriteYaml(r.GetValue(net), r.GetValue(output), r.GetValue(force))
            : r.GetValue(output) is not null ? Refuse("--out needs --format yaml") : Run(r.GetValue(net)));
        return command;
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static int Run(string? name)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160; // tables piped to a file should not wrap at 80 columns
        if (name is null)
        {
            ListNets();
            return ExitCodes.Ok;
        }
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv params: {target.Refusal}");
            return target.RefusalCode;
        }
        SpecReport report;
        try { report = SpecReport.Of(entry.Spec); }
        catch (SpecException e)
        {
            Console.Error.WriteLine($"lmv params: {e.Message}");
            return ExitCodes.BadInput;
        }
        var table = new Table().Border(TableBorder.Simple)
            .Title($"{entry.Spec.Name} ({entry.Name}, {entry.Spec.ImageH}×{entry.Spec.ImageW} input)");
        table.AddColumn("#", c => c.RightAligned()).AddColumn("layer").AddColumn("output").AddColumn("params", c => c.RightAligned())
            .AddColumn("BN layers (channels)");
        foreach (var row in report.Rows)
            table.AddRow(row.Index < 0 ? "–" : row.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.Layer),
                Markup.Escape(row.Output), row.Params is { } p ? N(p) : "–", Markup.Escape(row.Bn));
        table.AddRow(
            "", "[bold]total[/]", "", $"[bold]{N(report.TotalParams)}[/]", $"{report.BnLayers} ({N(report.BnStatFloats)} stat floats)");
        AnsiConsole.Write(table);
        Console.WriteLine($"{entry.Spec.Name}: {N(report.TotalParams)} params, {report.Tensors} parameter tensors");
        Console.WriteLine($"BN layers: {report.BnLayers}, BN stat floats: {N(report.BnStatFloats)}");
        foreach (var line in target.Log) Console.WriteLine(line.TrimStart());
        Console.WriteLine($"lmv train {name} reads by default (no --data): {DataLocator.DefaultData(entry.Dataset)}");
        return ExitCodes.Ok;
    }

    static int Refuse(string why)
    {
        Console.Error.WriteLine($"lmv params: {why}");
        return ExitCodes.Usage;
    }

    /// <summary><c>--format yaml</c>: the net, its dataset and its recipe as a spec file that reads back as the same net.</summary>
    static int WriteYaml(string? name, string? output, bool force)
    {
        if (name is null) return Refuse("--format yaml needs a net");
        var target = TrainTargets.Resolve(name);
        if (target.Entry is not { } entry)
        {
            Console.Error.WriteLine($"lmv params: {target.Refusal}");
            return target.RefusalCode;
        }
        bool hasDataset = target.File is null || target.File.Dataset is not null;
        var folder = output is null ? null : Path.GetDirectoryName(Path.GetFullPath(output));
        var text = SpecFile.Write(entry.Spec, hasDataset ? entry.Dataset : null, hasDataset ? entry.Config : null, folder);
        if (output is null)
        {
            Console.Write(text);
            return ExitCodes.Ok;
        }
        if (File.Exists(output) && !force) return Refuse($"{output} exists; pass --force to overwrite it");
        try { SpecFile.WriteFile(output, text, overwrite: force); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"lmv params: cannot write {output}: {e.Message}");
            return ExitCodes.Io;
        }
        Console.WriteLine($"wrote {output} ({entry.Spec.Name}, {N(entry.Spec.TotalParams())} params)");
        return ExitCodes.Ok;
    }

    static void ListNets()
    {
        var table = new Table().Border(TableBorder.Simple).Title("Known nets (lmv params NET)");
        table.AddColumn("name").AddColumn("spec").AddColumn("params", c => c.RightAligned()).AddColumn("trains on (default)")
            .AddColumn("recipe").AddColumn("note");
        foreach (var e in NetCatalog.Nets)
            table.AddRow(e.Name, Markup.Escape(e.Spec.Name), N(e.Spec.TotalParams()), DataLocator.DefaultDataName(e.Dataset),
                $"{e.Config.OptimizerName} lr {e.Config.LearningRate.ToString(CultureInfo.InvariantCulture)}, {e.Config.Epochs} ep",
                    e.Note);
        AnsiConsole.Write(table);
    }
}
