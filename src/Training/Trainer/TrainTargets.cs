using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// What <c>lmv train NAME</c> trains: a catalog entry, the lines the log shows before training (for a bestiary spec,
/// which one and every layer its Fashion-MNIST variant changed), or the reason it refuses.
/// </summary>
public sealed record TrainTarget(CatalogEntry? Entry, IReadOnlyList<string> Log, string? Refusal)
{
    /// <summary>The exit code of the refusal: 2 (usage) for a name nothing answers to, 1 (bad input) for a spec file that is
    /// wrong.</summary>
    public int RefusalCode { get; init; } = ExitCodes.Usage;

    /// <summary>The spec file the target was read from, when it was one.</summary>
    public SpecDocument? File { get; init; }
}

/// <summary>
/// Names to trainable nets: the Part-1 catalog first (<see cref="NetCatalog"/>), then chapter 11's bestiary, whose specs
/// train on Fashion-MNIST as written or as the smallest 1×28×28 / 10-class variant (<see cref="Trainability.FashionMnist"/>).
/// The book trains none of the bestiary; their recipe here is the repo's MNIST trainer recipe (Adam 1e-3, weight
/// decay 1e-4, cosine with one warmup epoch, batch 128, 12 epochs), chosen because it suits every fitting spec alike,
/// BN or not, transformer or not.
/// </summary>
public static class TrainTargets
{
    public static TrainConfig BestiaryRecipe => Recipes.MnistAdamCosine(12);

    public const string BestiaryRecipeText =
        "Adam 1e-3, weight decay 1e-4, cosine with 1 warmup epoch, batch 128, 12 epochs (the repo's MNIST trainers)";

    /// <summary>
    /// What every <c>lmv</c> command that takes a net resolves it with: a path ending in .yaml or .yml is a spec file
    /// (<see cref="SpecFile"/>); anything else is a catalog name, then a bestiary spec.
    /// </summary>
    public static TrainTarget Resolve(string name)
    {
        if (SpecFile.IsPath(name)) return FromFile(name);
        if (NetCatalog.Find(name) is { } net) return new(net, [], null);
        if (BestiaryCatalog.Find(name) is not { } entry)
            return Refuse($"unknown net '{name}'. Known nets: {string.Join(", ", NetCatalog.Names)}; bestiary specs that train on "
                + $"Fashion-MNIST: {string.Join(", ", Fitting.Select(f => f.Entry.Id))} (lmv bestiary lists every spec and why the others "
                    + "do not).");
        var fit = Trainability.FashionMnist(entry.Spec);
        if (fit.Spec is not { } spec)
            return Refuse($"bestiary spec {entry.Id} ({entry.Name}) does not train here: {fit.Reason}.");
        var kind = fit.Kind == FitKind.AsIs ? "as written (1×28×28, 10 classes)" : "as its Fashion-MNIST variant";
        var variant = fit.Kind == FitKind.AsIs ? spec : spec.Renamed($"{spec.Name} (Fashion-MNIST variant)");
        List<string> log =
        [
            $"  bestiary: {entry.Id} ({entry.Name}, {entry.Family.Reference}), trained {kind}",
            .. fit.Changes.Select(c => $"    changed: {c}"),
            $"  its recipe (--config book): {BestiaryRecipeText}",
        ];
        return new(new CatalogEntry(entry.Id, variant, BestiaryRecipe, DatasetKind.Mnist, "bestiary (chapter 11), not trained by the book"),
            log, null);
    }

    /// <summary>Every bestiary spec <c>lmv train</c> accepts, with the spec it trains (catalog order).</summary>
    public static IReadOnlyList<(BestiaryEntry Entry, Fit Fit)> Fitting { get; } = BestiaryCatalog.All
        .Select(e => (e, Trainability.FashionMnist(e.Spec))).Where(p => p.Item2.Kind != FitKind.No).ToList();

    static TrainTarget Refuse(string why) => new(null, [], why);

    static TrainTarget FromFile(string path)
    {
        SpecDocument doc;
        try { doc = SpecFile.Read(path); }
        catch (SpecFileException e) { return new(null, [], e.Message) { RefusalCode = ExitCodes.BadInput }; }
        List<string> log =
        [
            $"  spec file: {path} ({doc.Spec.Name}, " + (doc.Dataset is { } d ? $"dataset {d}" : "no dataset") + ")",
            .. doc.CustomLayers.Select(c => $"    layer {c.Index}: custom {c.Layer.TypeName} from {Path.GetFileName(c.Layer.PluginPath)}"),
        ];
        var entry = new CatalogEntry(doc.RunName, doc.Spec, doc.Recipe, doc.Dataset ?? DatasetKind.Mnist, $"spec file {path}");
        return new(entry, log, null) { File = doc };
    }
}
