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
            Description = "a net name (lmv params lists them) or a bestiary spec that trains here (lmv bestiary)",
        };
        var command = new Command("params", "Parameter count, per-layer table, BN layers and BN stat floats of a net.") { net };
        command.SetAction(result => Run(result.GetValue(net)));
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
            return ExitCodes.Usage;
        }
        SpecReport report;
        try { report = SpecReport.Of(entry.Spec); }
        catch (SpecException e)
        {
            Console.Error.WriteLine($"lmv params: {e.Message}");
            return ExitCodes.BadInput;
        }
        var table = new Table().Border(TableBorder.Simple).Title($"{entry.Spec.Name} ({entry.Name}, {entry.Spec.ImageH}×{entry.Spec.ImageW} input)");
        table.AddColumn("#", c => c.RightAligned()).AddColumn("layer").AddColumn("output").AddColumn("params", c => c.RightAligned()).AddColumn("BN layers (channels)");
        foreach (var row in report.Rows)
            table.AddRow(row.Index < 0 ? "–" : row.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.Layer),
                Markup.Escape(row.Output), row.Params is { } p ? N(p) : "–", Markup.Escape(row.Bn));
        table.AddRow("", "[bold]total[/]", "", $"[bold]{N(report.TotalParams)}[/]", $"{report.BnLayers} ({N(report.BnStatFloats)} stat floats)");
        AnsiConsole.Write(table);
        Console.WriteLine($"{entry.Spec.Name}: {N(report.TotalParams)} params, {report.Tensors} parameter tensors");
        Console.WriteLine($"BN layers: {report.BnLayers}, BN stat floats: {N(report.BnStatFloats)}");
        foreach (var line in target.Log) Console.WriteLine(line.TrimStart());
        Console.WriteLine($"lmv train {entry.Name} reads by default (no --data): {DataLocator.DefaultData(entry.Dataset)}");
        return ExitCodes.Ok;
    }

    static void ListNets()
    {
        var table = new Table().Border(TableBorder.Simple).Title("Known nets (lmv params NET)");
        table.AddColumn("name").AddColumn("spec").AddColumn("params", c => c.RightAligned()).AddColumn("trains on (default)")
            .AddColumn("recipe").AddColumn("note");
        foreach (var e in Catalog.Nets)
            table.AddRow(e.Name, Markup.Escape(e.Spec.Name), N(e.Spec.TotalParams()), DataLocator.DefaultDataName(e.Dataset),
                $"{e.Config.OptimizerName} lr {e.Config.LearningRate.ToString(CultureInfo.InvariantCulture)}, {e.Config.Epochs} ep", e.Note);
        AnsiConsole.Write(table);
    }
}
