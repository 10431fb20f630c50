using System.Text.RegularExpressions;
using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Training;

/// <summary>
/// What `lmv params NET` says `lmv train NET` reads without --data (issue 12: the list said "Mnist" for nets that train
/// on Fashion-MNIST), and that the `lmv` wrapper installs Fashion-MNIST for exactly those names.
/// </summary>
public class DefaultDataTests
{
    [Theory]
    [InlineData("mnist-mlp", "Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)")]
    [InlineData("leNet5", "Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)")]
    [InlineData("cifar-bn",
        "CIFAR-10, binary version, from data/cifar-10/ (no Debian package: unpack cifar-10-binary.tar.gz there)")]
    [InlineData("resnet34",
        "Imagenette, train.bin and val.bin from data/imagenette/ (no Debian package: made by the book's preprocess_imagenette.py)")]
    public void DefaultData_NamesTheDatasetTrainReads(string net, string expected)
    {
        Assert.Equal(expected, DataLocator.DefaultData(TrainTargets.Resolve(net).Entry!.Dataset));
    }

    [Fact]
    public void DefaultData_IsWhereTheLocatorLooks()
    {
        // An empty Fashion-MNIST folder: the locator's refusal names the same folder DefaultData names.
        string empty = Path.Combine(Path.GetTempPath(), "lmv-default-data-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DataNotFoundException>(() => new DataLocator(empty).Locate(DatasetKind.Mnist));
        Assert.Contains($"the default, Fashion-MNIST, is not in {empty}", e.Message);
        var cifar = Assert.Throws<DataNotFoundException>(() => new DataLocator().Locate(DatasetKind.Cifar10));
        Assert.StartsWith($"No Cifar10 data: data_batch_1.bin not found under {DataLocator.CifarDefaultDir} ", cifar.Message);
    }

    /// <summary>The names the wrapper's <c>case "${2:-}" in ...)</c> keeps from installing Fashion-MNIST, as globs.</summary>
    static IReadOnlyList<string> WrapperNonFashionPatterns()
    {
        string root = LedgerLocation.FindRepositoryRoot() ?? throw new InvalidOperationException("tests must run inside the repository");
        var match = Regex.Match(File.ReadAllText(Path.Combine(root, "lmv")), @"case ""\$\{2:-\}"" in ([^)]*)\)");
        Assert.True(match.Success, "the lmv wrapper has no case \"${2:-}\" statement");
        return match.Groups[1].Value.Split('|').Where(p => p is not "-*" and not "\"\"").ToList();
    }

    static bool Glob(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace(@"\*", ".*") + "$");

    [Fact]
    public void TheWrapperInstallsFashionMnist_ForExactlyTheNamesThatTrainOnIt()
    {
        var patterns = WrapperNonFashionPatterns();
        Assert.Contains("cifar*", patterns);
        var names = Catalog.Nets.Select(e => (e.Name, e.Dataset))
            .Concat(TrainTargets.Fitting.Select(f => (f.Entry.Id, DatasetKind.Mnist)));
        foreach (var (name, dataset) in names)
            Assert.True(patterns.Any(p => Glob(p, name)) == (dataset != DatasetKind.Mnist),
                $"{name}: trains on {DataLocator.DefaultDataName(dataset)}, but the lmv wrapper's case statement disagrees");
    }

    [Fact]
    public void Glob_MatchesLikeTheShell()
    {
        Assert.True(Glob("cifar*", "cifar-bn-f8"));
        Assert.False(Glob("vgg", "vgg-2"));
        Assert.False(Glob("cifar*", "mnist-cifar"));
    }
}
