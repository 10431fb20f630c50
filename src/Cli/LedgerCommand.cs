using System.CommandLine;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Cli;

/// <summary><c>lmv ledger audit|budget|graph|why|show|codegen|format</c>: parses, calls src/Calculus/Ledger, prints.</summary>
static class LedgerCommand
{
    static readonly Option<string?> LedgerDir = new("--ledger")
    {
        Description = "The ledger folder (default: proofs-ledger/ of the repository around the current directory)",
        Recursive = true,
    };

    public static Command Create()
    {
        var command = new Command("ledger", "The proofs-ledger: the book's 103 numbered items, their dependencies and evidence.");
        command.Options.Add(LedgerDir);
        command.Subcommands.Add(Audit());
        command.Subcommands.Add(Budget());
        command.Subcommands.Add(Graph());
        command.Subcommands.Add(Why());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Codegen());
        command.Subcommands.Add(Format());
        return command;
    }

    /// <summary>Loads the ledger and runs <paramref name="body"/>; a malformed ledger prints every finding and exits 1.</summary>
    static int WithLedger(ParseResult parse, Func<ProofsLedger, int> body)
    {
        ProofsLedger ledger;
        try
        {
            string? dir = parse.GetValue(LedgerDir);
            ledger = dir is null ? ProofsLedger.LoadDefault() : ProofsLedger.Load(dir);
        }
        catch (LedgerException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (DirectoryNotFoundException e)
        {
            Console.Error.WriteLine($"lmv ledger: {e.Message}");
            return ExitCodes.BadInput;
        }
        return body(ledger);
    }

    static Command Audit()
    {
        var command = new Command(
            "audit", "Check the ledger against the book: numbering, edges, counts, per-chapter budget, axiom reasons.");
        command.SetAction(parse => WithLedger(parse, ledger =>
        {
            var report = LedgerAudit.Run(ledger, compareItemIds: parse.GetValue(LedgerDir) is null);
            if (report.Passed)
            {
                Console.WriteLine(report.Summary);
                return ExitCodes.Ok;
            }
            foreach (var finding in report.Findings) Console.WriteLine(finding);
            Console.WriteLine($"audit failed: {report.Findings.Count} finding{(report.Findings.Count == 1 ? "" : "s")} ({report.Summary})");
            return ExitCodes.Failed;
        }));
        return command;
    }

    static Command Budget()
    {
        var command = new Command(
            "budget", "The book's per-chapter table (new ax + th + def, cumulative, last #, unlocked), computed from the ledger.");
        command.SetAction(parse => WithLedger(parse, ledger =>
        {
            Console.Write(LedgerReports.BudgetText(ledger));
            return ExitCodes.Ok;
        }));
        return command;
    }

    static Command Graph()
    {
        var format = new Option<string>("--format") { Description = "text, dot or mermaid", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "dot", "mermaid");
        var target = new Option<string?>("--target")
        {
            Description = "Only what an architecture needs (mlp, cnn, bn, resnet34, mobilenetv2, efficientnet, layernorm, vit)"
        };
        var item = new Option<string?>("--item") { Description = "Only this item and what it uses" };
        var dependents = new Option<bool>("--dependents") { Description = "With --item: the item and what uses it, instead" };
        var command = new Command("graph", "The dependency DAG (uses edges): whole, for a target architecture, or around one item.");
        command.Options.Add(format);
        command.Options.Add(target);
        command.Options.Add(item);
        command.Options.Add(dependents);
        command.SetAction(parse => WithLedger(parse, ledger =>
        {
            string? targetName = parse.GetValue(target), itemName = parse.GetValue(item);
            bool down = parse.GetValue(dependents);
            if (targetName is not null && itemName is not null) return Usage("give either --target or --item, not both");
            if (down && itemName is null) return Usage("--dependents needs --item NAME");
            GraphView view;
            if (targetName is not null)
            {
                var t = ledger.FindTarget(targetName);
                if (t is null) return Unknown("target", targetName, ledger.Targets.Select(x => x.Name));
                var headline = LedgerGraph.Headline(ledger, t);
                view = new GraphView(
                    $"target {t.Name} ({t.Architecture}, chapter {t.Chapter})", LedgerGraph.Closure(ledger, headline), headline.ToHashSet(),
                    t.Reason);
            }
            else if (itemName is not null)
            {
                var i = ledger.Find(itemName);
                if (i is null) return Unknown("item", itemName, ledger.Items.Select(x => x.Name));
                view = down
                    ? new GraphView($"{i.Label} and what uses it", LedgerGraph.Dependents(ledger, i), new HashSet<string> { i.Name })
                    : new GraphView($"{i.Label} and what it uses", LedgerGraph.Ancestors(ledger, i), new HashSet<string> { i.Name });
            }
            else view = new GraphView("proofs-ledger", ledger.Items, new HashSet<string>());
            var kind = Enum.Parse<GraphFormat>(parse.GetValue(format)!, ignoreCase: true);
            Console.Write(GraphRenderer.Render(ledger, view, kind));
            return ExitCodes.Ok;
        }));
        return command;
    }

    static Command Why() => ItemReport("why", "The axioms (and definitions) an item ultimately rests on, with one path to each.",
        "seBlock_has_vjp", (ledger, item) => LedgerReports.WhyText(LedgerGraph.Why(ledger, item)));

    static Command Show() => ItemReport("show", "One item in full: statement, uses, used by, conventions, axiom reasons, evidence.",
        "pdiv_relu", LedgerReports.ShowText);

    /// <summary>A command taking one item name and printing a report about it; an unknown name lists the valid ones.</summary>
    static Command ItemReport(string verb, string description, string example, Func<ProofsLedger, LedgerItem, string> report)
    {
        var name = new Argument<string>("name") { Description = $"An item name, e.g. {example}" };
        var command = new Command(verb, description);
        command.Arguments.Add(name);
        command.SetAction(parse => WithLedger(parse, ledger =>
        {
            string asked = parse.GetValue(name)!;
            var item = ledger.FindEntry(asked);
            if (item is null) return Unknown("item", asked, ledger.Items.Concat(ledger.Bindings).Select(x => x.Name));
            Console.Write(report(ledger, item));
            return ExitCodes.Ok;
        }));
        return command;
    }

    static Command Codegen()
    {
        var command = new Command("codegen", $"Regenerate {ItemIdGenerator.RelativePath} (the ItemId constants) from the ledger.");
        command.SetAction(parse => WithLedger(parse, ledger =>
        {
            string? root = LedgerLocation.FindRepositoryRoot();
            if (root is null) return Usage($"no {LedgerLocation.SolutionFile} found above the current directory");
            bool changed = ItemIdGenerator.Write(ledger, root);
            Console.WriteLine(changed ? $"wrote {ItemIdGenerator.RelativePath}" : $"{ItemIdGenerator.RelativePath} is up to date");
            return ExitCodes.Ok;
        }));
        return command;
    }

    static Command Format()
    {
        var command = new Command("format", "Rewrite the ledger files in canonical form (what the evidence sync writes).");
        command.SetAction(parse => WithLedger(parse, ledger =>
        {
            var written = LedgerFiles.Save(ledger);
            Console.WriteLine(written.Count == 0 ? "all ledger files are canonical" : $"rewrote {string.Join(", ", written)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    static int Unknown(string what, string name, IEnumerable<string> valid)
    {
        Console.Error.WriteLine($"lmv ledger: unknown {what} '{name}'. Valid {what}s: {string.Join(", ", valid)}");
        return ExitCodes.Usage;
    }

    static int Usage(string message)
    {
        Console.Error.WriteLine($"lmv ledger: {message}");
        return ExitCodes.Usage;
    }
}
