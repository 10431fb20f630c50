using System.CommandLine;
using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Trainer;
using Spectre.Console;

namespace LeanMlirVerify.Cli;

/// <summary>`lmv bestiary [--domain D] [--name N]`: chapter 11's specs, their counts against the book, and what trains here.</summary>
static class BestiaryCommand
{
    public static Command Create()
    {
        var domain = new Option<string?>("--domain")
        {
            Description = "only this domain: " + string.Join(", ", DomainInfo.All.Select(d => d.Key))
        };
        var name = new Option<string?>("--name") { Description = "one spec (identifier such as leNet5, or display name): its layers" };
        var command = new Command(
            "bestiary", "Chapter 11's architectures: parameter counts against the book's figures, and which specs train here.");
        command.Options.Add(domain);
        command.Options.Add(name);
        command.SetAction(result => Run(result.GetValue(domain), result.GetValue(name)));
        return command;
    }

    static readonly IAnsiConsole Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    static int Run(string? domainText, string? name)
    {
        // Piped output has no terminal width; a wide table wraps every cell at 80 columns otherwise.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 220);
        if (name is not null)
        {
            if (BestiaryCatalog.Find(name) is { } entry) { ShowOne(entry); return ExitCodes.Ok; }
            Error.MarkupLine($"[red]No bestiary spec named '{Markup.Escape(name)}'.[/] Valid identifiers:");
            foreach (var d in DomainInfo.All)
                Error.MarkupLine($"  [bold]{d.Key}[/]: {Markup.Escape(string.Join(", ", BestiaryCatalog.In(d.Domain).Select(e => e.Id)))}");
            return ExitCodes.Usage;
        }
        DomainInfo? domain = null;
        if (domainText is not null && (domain = DomainInfo.Find(domainText)) is null)
        {
            Error.MarkupLine($"[red]No domain '{Markup.Escape(domainText)}'.[/] Valid domains:");
            foreach (var d in DomainInfo.All) Error.MarkupLine($"  [bold]{d.Key}[/]  {d.Section} {d.Title}");
            return ExitCodes.Usage;
        }
        ShowTable(BestiaryReport.Rows(domain?.Domain));
        ShowComposites(BestiaryCatalog.Composites.Where(c => domain is null || c.Parts.Any(p => p.Domain == domain.Domain)).ToList());
        return ExitCodes.Ok;
    }

    static void ShowTable(IReadOnlyList<BestiaryRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Spec").AddColumn("Domain").AddColumn(new TableColumn("Params").RightAligned())
            .AddColumn("Book / paper figure").AddColumn(new TableColumn("Ratio").RightAligned())
            .AddColumn("Trainable here").AddColumn("lmv train").AddColumn("Approximation");
        foreach (var r in rows)
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(r.Entry.Id)}[/]\n[grey]{Markup.Escape(r.Entry.Name)}[/]"),
                new Text(DomainInfo.Of(r.Entry.Domain).Key),
                new Text(BestiaryReport.Count(r.Params)),
                new Text(r.Entry.Figure.Quote),
                new Markup(
                    r.FigureConsistent ? Markup.Escape(r.RatioText) : $"[red]{Markup.Escape(r.RatioText)} (off the book's figure)[/]"),
                r.Trainable ? new Markup("[green]yes[/]") : new Markup($"no: [grey]{Markup.Escape(r.WhyNotTrainable!)}[/]"),
                new Markup(r.FashionMnist.Kind switch
                {
                    FitKind.AsIs => "[green]as-is[/]",
                    FitKind.Variant => $"[green]variant[/] [grey]({r.FashionMnist.Changes.Count} changes)[/]",
                    _ => "[grey]—[/]",
                }),
                new Text(r.Entry.Note ?? ""));
        AnsiConsole.Write(table);
        int quoted = rows.Count(r => r.Entry.Figure.Book is not null);
        AnsiConsole.MarkupLine($"{rows.Count} specs; {rows.Count(r => r.Trainable)} trainable here; "
            + $"{rows.Count(r => r.FashionMnist.Kind != FitKind.No)} fit 1×28×28 (Fashion-MNIST) as-is or as a variant; "
            + $"{rows.Count(r => r.Entry.Figure.Book is not null && r.FigureConsistent)} of {quoted} quoted figures consistent with the "
                + "count.");
        AnsiConsole.MarkupLine(
            "[grey]Trainable here: every constructor has checked rules (the 15 codegen-backed ones) and the shapes chain from the spec's "
            + "own input size.[/]");
        AnsiConsole.MarkupLine(
            "[grey]lmv train: `lmv train ID` trains the spec on Fashion-MNIST as written, or as its 1×28×28 / 10-class variant (`lmv "
            + "bestiary --name ID` lists the changed layers).[/]");
    }

    static void ShowComposites(IReadOnlyList<Composite> composites)
    {
        if (composites.Count == 0) return;
        var table = new Table().Border(TableBorder.Rounded).Title("Figures the book quotes for several specs together")
            .AddColumn("Group").AddColumn("Parts").AddColumn(new TableColumn("Params").RightAligned()).AddColumn("Book / paper figure")
            .AddColumn(new TableColumn("Ratio").RightAligned());
        foreach (var c in composites)
            table.AddRow(
                Markup.Escape(c.Name), Markup.Escape(string.Join(" + ", c.Parts.Select(p => p.Id))), BestiaryReport.Count(c.Params),
                Markup.Escape(c.Figure.Quote), c.Figure.AdmitsTotal(c.Params)
                    ? BestiaryReport.RatioText(c.Figure, c.Params) : $"[red]{BestiaryReport.RatioText(c.Figure, c.Params)}[/]");
        AnsiConsole.Write(table);
    }

    static void ShowOne(BestiaryEntry entry)
    {
        var row = BestiaryReport.Row(entry);
        var d = DomainInfo.Of(entry.Domain);
        var fit = row.FashionMnist;
        (string Key, string Value)[] lines =
        [
            ("Spec", $"{entry.Id} — {entry.Name}"),
            ("Family", $"{entry.Family.Name} ({entry.Family.Reference}); {d.Section} {d.Title}"),
            ("Input", $"{entry.Spec.ImageH}×{entry.Spec.ImageW}"),
            ("Params", BestiaryReport.Count(row.Params)),
            ("Book / paper", $"{entry.Figure.Quote}  (ratio {row.RatioText})"),
            ("Trainable here", row.Trainable ? "yes" : $"no: {row.WhyNotTrainable}"),
            ("Fashion-MNIST", fit.Kind switch
            {
                FitKind.AsIs => $"as-is: lmv train {entry.Id}",
                FitKind.Variant => $"with a variant: lmv train {entry.Id}\n" + string.Join("\n", fit.Changes),
                _ => $"no: {fit.Reason}",
            }),
            ("Approximation", entry.Note ?? "—"),
        ];
        // Plain text, not markup: reasons quote shapes such as [400].
        var facts = new Grid().AddColumn().AddColumn();
        foreach (var (key, value) in lines) facts.AddRow(new Text(key), new Text(value));
        AnsiConsole.Write(new Panel(facts).Header(Markup.Escape(entry.Name)));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("#").RightAligned()).AddColumn("Layer").AddColumn(new TableColumn("Params").RightAligned())
            .AddColumn("Checked rules").AddColumn("Output");
        foreach (var l in BestiaryReport.Layers(entry))
            table.AddRow(l.Index.ToString(), Markup.Escape(l.Notation), BestiaryReport.Count(l.Params),
                l.Checked ? "[green]yes[/]" : $"no ({Markup.Escape(l.Layer.Constructor)})", Markup.Escape(l.Output?.ToString() ?? ""));
        table.AddRow("", "[bold]total[/]", $"[bold]{BestiaryReport.Count(row.Params)}[/]", "", "");
        AnsiConsole.Write(table);
    }
}
