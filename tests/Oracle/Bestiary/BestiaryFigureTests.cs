using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>
/// The book's chapter-11 figures ("62M; paper 60M") against the counts: every rounded count the book gives for a spec,
/// and for a group of specs, is what the count rounds to (netspec facts §8.2).
/// </summary>
public class BestiaryFigureTests
{
    public static TheoryData<string> QuotedIds => new(BestiaryCatalog.All.Where(e => e.Figure.Book is not null).Select(e => e.Id));

    [Theory]
    [MemberData(nameof(QuotedIds))]
    public void BookFigure_IsTheCountAfterTheBooksRounding(string id)
    {
        var e = BestiaryCatalog.Find(id)!;
        Assert.True(e.Figure.AdmitsTotal(e.Params), $"{id}: {BestiaryReport.Count(e.Params)} does not round to \"{e.Figure.Book}\"");
        Assert.InRange(e.Params / (double)e.Figure.Book!.Value, 0.9, 1.1);
    }

    [Fact]
    public void EightyFiveSpecsCarryABookFigure_AndEveryQuoteNamesIt()
    {
        var quoted = BestiaryCatalog.All.Where(e => e.Figure.Book is not null).ToList();
        Assert.Equal(85, quoted.Count);
        // The parsed figure is taken from the quote itself, not typed in twice differently.
        Assert.All(quoted, e => Assert.Contains(e.Figure.Book!.Text.TrimStart('≈'), e.Figure.Quote));
        Assert.All(quoted.Where(e => e.Figure.Paper is not null), e => Assert.True(
            e.Figure.Quote.Contains(e.Figure.Paper!.Text) || e.Figure.Quote.Contains("paper")
                && e.Figure.Paper.Value == e.Figure.Book!.Value,
            e.Id));
    }

    [Fact]
    public void CompositeFigures_AreTheSumsOfTheirParts()
    {
        Assert.Equal(4, BestiaryCatalog.Composites.Count);
        Assert.All(BestiaryCatalog.Composites, c => Assert.True(c.Figure.AdmitsTotal(c.Params), $"{c.Name}: {c.Params}"));
        Assert.Equal(151_238_656L, BestiaryCatalog.Composites[0].Params);
        Assert.Equal(427_558_656L, BestiaryCatalog.Composites[1].Params);
        Assert.Equal(63_386_235L, BestiaryCatalog.Composites[2].Params);
        Assert.Equal(238_310_400L, BestiaryCatalog.Composites[3].Params);
    }

    [Theory]
    [InlineData("62M", 62_000_000L, 1_000_000L)]
    [InlineData("≈3.9M", 3_900_000L, 100_000L)]
    [InlineData("1.56B", 1_560_000_000L, 10_000_000L)]
    [InlineData("593K", 593_000L, 1_000L)]
    [InlineData("0.4M", 400_000L, 100_000L)]
    [InlineData("≈70M", 70_000_000L, 10_000_000L)]
    [InlineData("270K", 270_000L, 10_000L)]
    [InlineData("1.65M", 1_650_000L, 10_000L)]
    public void RoundedCount_ParsesValueAndLastSignificantDigit(string text, long value, long unit)
    {
        var c = RoundedCount.Parse(text);
        Assert.Equal(value, c.Value);
        Assert.Equal(unit, c.Unit);
    }

    [Theory]
    [InlineData("62")]
    [InlineData("62X")]
    [InlineData("M")]
    [InlineData("six M")]
    public void RoundedCount_RejectsMalformedFigures(string text) =>
        Assert.Contains(text, Assert.Throws<FormatException>(() => RoundedCount.Parse(text)).Message);

    [Fact]
    public void BookFigure_RejectsACountThatDoesNotRoundToIt()
    {
        var figure = Figure.Of("62M; paper 60M", book: "62M", paper: "60M");
        Assert.True(figure.AdmitsTotal(62_378_440));
        Assert.True(figure.AdmitsTotal(61_000_001));
        Assert.False(figure.AdmitsTotal(60_999_999));
        Assert.False(figure.AdmitsTotal(63_000_000));
        Assert.Equal(62_378_440 / 60e6, figure.Ratio(62_378_440)!.Value, 12);
        // "within ≈5%" (Mamba) replaces the rounding rule.
        var mamba = Figure.Of("130M (within ≈5%)", book: "130M", within: 0.05);
        Assert.True(mamba.AdmitsTotal(125_572_200));
        Assert.False(mamba.AdmitsTotal(123_000_000));
        // Nothing quoted: nothing to contradict, no ratio.
        Assert.True(Figure.NotQuoted().AdmitsTotal(1));
        Assert.Null(Figure.NotQuoted().Ratio(1));
    }

    [Fact]
    public void WrongTranscription_WouldBeCaughtByItsFigure()
    {
        // AlexNet's first FC written as 9216 → 4095 moves the count by 9,217: still 62M. One written as 8192 → 4096
        // moves it by 4M and the book's "62M" no longer admits it.
        var alexNet = BestiaryCatalog.Find("alexNet")!;
        var layers = alexNet.Spec.Layers.Select(l => l is Dense { FanIn: 9216 } ? Layer.Dense(8192, 4096, Activation.Relu) : l).ToList();
        Assert.False(alexNet.Figure.AdmitsTotal((alexNet.Spec with { Layers = layers }).TotalParams()));
    }
}
