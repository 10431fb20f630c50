using LeanMlirVerify.Oracle.Trainer;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Specs;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Differential;

/// <summary>
/// The book's oracle data (training facts §2.2): the first training images in file order, pixels/255, batch 4 — from
/// Fashion-MNIST when this machine has it (the CI installs dataset-fashion-mnist), else from the tiny IDX fixture.
/// </summary>
static class FirstImages
{
    static readonly Lazy<(ImageSet Set, string Source)> Data = new(() =>
    {
        if (DataLocator.MissingMnistFiles(DataLocator.FashionMnistDir).Count == 0)
            return (new DataLocator().Locate(DatasetKind.Mnist).LoadTrain(), "Fashion-MNIST (first training images, file order)");
        var fixture = new TinyData(); // kept for the process: its folder is a temp directory
        return (Loaders.Mnist(fixture.Dir, train: true), "the tiny IDX fixture (Fashion-MNIST is not installed)");
    });

    public static string Source => Data.Value.Source;

    /// <summary><paramref name="count"/> consecutive batches of <paramref name="batchSize"/> images (float32 [B, 784], int64
    /// labels).</summary>
    public static List<(Tensor X, Tensor Y)> Batches(int count, int batchSize = 4) =>
        DifferentialRun.Batches(Data.Value.Set, count, batchSize);
}
