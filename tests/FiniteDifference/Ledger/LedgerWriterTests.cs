namespace LeanMlirVerify.FiniteDifference.Ledger;

using FsCheck;
using FsCheck.Fluent;
using LeanMlirVerify.Calculus.Ledger;

public class LedgerWriterTests
{
    public static TheoryData<string> RepositoryFiles() =>
        new(Directory.GetFiles(LedgerLocation.DefaultDirectory(), "*.yaml").Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(RepositoryFiles))]
    public void Write_OfLoad_IsByteIdentical_ForEveryRepositoryFile(string file)
    {
        var ledger = LedgerFixtures.Repository();
        string expected = File.ReadAllText(Path.Combine(ledger.Directory, file));
        string written = file switch
        {
            LedgerLoader.TargetsFile => LedgerWriter.WriteTargets(ledger.Targets),
            LedgerLoader.ConventionsFile => LedgerWriter.WriteConventions(ledger.Conventions),
            LedgerLoader.BindingsFile => LedgerWriter.WriteBindings(ledger.Bindings),
            _ => LedgerWriter.WriteChapter(ledger.Chapters.Single(c => c.File == file)),
        };
        Assert.Equal(expected, written);
    }

    [Fact]
    public void Write_OfLoad_IsByteIdentical_ForTheValidFixture()
    {
        var ledger = LedgerFixtures.Valid();
        foreach (var chapter in ledger.Chapters)
            Assert.Equal(File.ReadAllText(Path.Combine(ledger.Directory, chapter.File)), LedgerWriter.WriteChapter(chapter));
        Assert.Equal(File.ReadAllText(Path.Combine(ledger.Directory, LedgerLoader.ConventionsFile)),
            LedgerWriter.WriteConventions(ledger.Conventions));
    }

    [Fact]
    public void Write_ThenLoad_KeepsAnyTitleAndStatement()
    {
        var text = Gen.Elements("a", "b", " ", ":", "#", "-", "\"", "'", "\\", "\n", "[", "]", "{", "}", ",", "|", ">", "é", "∂", "\t",
                "1", "true", "null", "~", "%", "@", "`")
            .ArrayOf().Select(parts => string.Concat(parts)).Where(s => s.Length > 0);
        Prop.ForAll(text.ToArbitrary(), text.ToArbitrary(), (title, statement) =>
        {
            var item = LedgerFixtures.Valid()["relu_net"] with { Title = title, Statement = statement };
            var chapter = new LedgerChapter(3, title, "u", null, "ch03-x.yaml", [item]);
            var findings = new List<LedgerFinding>();
            var read = LedgerLoader.ReadChapter("ch03-x.yaml", LedgerWriter.WriteChapter(chapter), findings);
            return findings.Count == 0 && read is not null && read.Title == title
                && read.Items.Single().Title == title && read.Items.Single().Statement == statement;
        }).QuickCheckThrowOnFailure();
    }
}
