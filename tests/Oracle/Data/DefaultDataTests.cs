using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Data;

/// <summary>
/// What `lmv params NET` says `lmv train NET` reads without --data (issue 12: the list said "Mnist" for nets that train
/// on Fashion-MNIST), and the missing Debian package the `lmv` wrapper installs for a net (asked of the catalog).
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

    [Fact]
    public void MissingPackage_IsFashionMnistsForExactlyTheNetsThatTrainOnIt()
    {
        var empty = new DataLocator(Path.Combine(Path.GetTempPath(), "lmv-no-data-" + Guid.NewGuid().ToString("N")));
        var names = NetCatalog.Nets.Select(e => e.Name).Concat(TrainTargets.Fitting.Select(f => f.Entry.Id)).ToList();
        Assert.Contains("leNet5", names);
        foreach (var name in names)
        {
            var dataset = TrainTargets.Resolve(name).Entry!.Dataset;
            Assert.True(empty.MissingPackage(dataset) == (dataset == DatasetKind.Mnist ? DataLocator.FashionMnistPackage : null),
                $"{name} trains on {DataLocator.DefaultDataName(dataset)}; missing package: {empty.MissingPackage(dataset) ?? "none"}");
        }
    }

    [Fact]
    public void MissingPackage_IsNoneWhenTheDataIsThere()
    {
        using var data = new LeanMlirVerify.Oracle.Trainer.TinyData();
        Assert.Null(new DataLocator(data.Dir).MissingPackage(DatasetKind.Mnist));
    }

    [Fact]
    public void TheWrapperAsksTheCatalog_NotANameList()
    {
        string root = LedgerLocation.FindRepositoryRoot() ?? throw new InvalidOperationException("tests must run inside the repository");
        var wrapper = File.ReadAllText(Path.Combine(root, "lmv"));
        Assert.Contains("data-package \"$2\"", wrapper);
        Assert.DoesNotMatch(@"case ""\$\{2", wrapper);
    }
}
