using System.Globalization;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary;

/// <summary>One line of the bestiary table: the count against the book's figure and whether the spec trains here.</summary>
public sealed record BestiaryRow(BestiaryEntry Entry, long Params, double? Ratio, string? WhyNotTrainable, Fit FashionMnist)
{
    public bool Trainable => WhyNotTrainable is null;
    public bool FigureConsistent => Entry.Figure.AdmitsTotal(Params);

    public string RatioText => BestiaryReport.RatioText(Entry.Figure, Params);
}

/// <summary>One layer of a spec: compact notation, count, whether its rules are checked, and its output shape if known.</summary>
public sealed record LayerLine(int Index, Layer Layer, long Params, Shape? Output)
{
    public string Notation => Layer.Compact();
    public bool Checked => Layer.IsTrainable;
}

/// <summary>What `lmv bestiary` shows; the command only renders these.</summary>
public static class BestiaryReport
{
    public static BestiaryRow Row(BestiaryEntry e) =>
        new(e, e.Params, e.Figure.Ratio(e.Params), Trainability.WhyNot(e.Spec), Trainability.FashionMnist(e.Spec));

    public static IReadOnlyList<BestiaryRow> Rows(Domain? domain = null) =>
        BestiaryCatalog.All.Where(e => domain is null || e.Domain == domain).Select(Row).ToList();

    /// <summary>Per-layer counts; output shapes only when the whole spec chains (bestiary sizes are otherwise metadata).</summary>
    public static IReadOnlyList<LayerLine> Layers(BestiaryEntry e)
    {
        var shapes = Trainability.IsTrainable(e.Spec) ? ShapeInference.Infer(e.Spec) : null;
        return e.Spec.Layers.Select((l, i) => new LayerLine(i, l, l.NParams(), shapes?[i])).ToList();
    }

    /// <summary>"1.04× paper", "1.00× book", or "—" when the book quotes nothing.</summary>
    public static string RatioText(Figure figure, long total) => figure.Ratio(total) is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"{r:0.00}× {(figure.Paper is null ? "book" : "paper")}")
        : "—";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
