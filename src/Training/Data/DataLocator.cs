using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Data;

/// <summary>No usable data folder; the message says what was looked for and how to get it.</summary>
public sealed class DataNotFoundException(string message) : Exception(message);

/// <summary>
/// A folder holding one dataset's files, with a line for logs saying which data this is; or, when
/// <paramref name="Synthetic"/>, the seeded stand-in of <see cref="SyntheticData"/> in that dataset's layout.
/// </summary>
public sealed record DataLocation(DatasetKind Kind, string Dir, string Description, bool Synthetic = false)
{
    public ImageSet LoadTrain() => Synthetic ? SyntheticData.Train(Kind) : Kind switch
    {
        DatasetKind.Mnist => Loaders.Mnist(Dir, train: true),
        DatasetKind.Cifar10 => Loaders.Cifar10(Dir, train: true),
        _ => Loaders.Imagenette(Path.Combine(Dir, "train.bin"), 256),
    };

    public ImageSet LoadValidation() => Synthetic ? SyntheticData.Validation(Kind) : Kind switch
    {
        DatasetKind.Mnist => Loaders.Mnist(Dir, train: false),
        DatasetKind.Cifar10 => Loaders.Cifar10(Dir, train: false),
        _ => Loaders.Imagenette(Path.Combine(Dir, "val.bin"), 224),
    };
}

/// <summary>
/// Finds a dataset: <c>--data DIR</c> when given (and nothing else), otherwise the default. The default for MNIST-format
/// data is Fashion-MNIST from the Debian package <c>dataset-fashion-mnist</c>; CIFAR-10 and Imagenette default to the
/// original's folders (data/cifar-10, data/imagenette). <c>--data synthetic</c> gives <see cref="SyntheticData"/>.
/// </summary>
public sealed class DataLocator(string fashionMnistDir = DataLocator.FashionMnistDir)
{
    public const string FashionMnistDir = "/usr/share/datasets/fashion-mnist";
    public const string FashionMnistPackage = "dataset-fashion-mnist";
    public const string InstallCommand = "sudo apt-get install " + FashionMnistPackage;
    public const string CifarDefaultDir = "data/cifar-10";
    public const string ImagenetteDefaultDir = "data/imagenette";

    public static readonly string[] MnistFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    public DataLocation Locate(DatasetKind kind, string? dataDir = null)
    {
        if (dataDir == SyntheticData.Name)
            return new DataLocation(kind, SyntheticData.Name, SyntheticData.Describe(kind), Synthetic: true);
        return kind switch
        {
            DatasetKind.Mnist => LocateMnist(dataDir),
            DatasetKind.Cifar10 => LocateFolder(kind, dataDir, ["cifar-10-batches-bin", "cifar-10", "."], "data_batch_1.bin",
                CifarDefaultDir, "the CIFAR-10 binary version (cifar-10-binary.tar.gz: data_batch_1..5.bin, test_batch.bin)"),
            _ => LocateFolder(kind, dataDir, ["imagenette", "."], "train.bin", ImagenetteDefaultDir,
                "Imagenette preprocessed by the book's preprocess_imagenette.py (train.bin at 256², val.bin at 224²)"),
        };
    }

    /// <summary>The dataset <c>lmv train</c> reads for this kind when no --data is given.</summary>
    public static string DefaultDataName(DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => "Fashion-MNIST",
        DatasetKind.Cifar10 => "CIFAR-10",
        _ => "Imagenette",
    };

    /// <summary>
    /// The Debian package to install so that a run of a net training on <paramref name="kind"/> finds its default data,
    /// or null when the data is already there or comes in no package (CIFAR-10, Imagenette).
    /// </summary>
    public string? MissingPackage(DatasetKind kind) =>
        kind == DatasetKind.Mnist && MissingMnistFiles(fashionMnistDir).Count > 0 ? FashionMnistPackage : null;

    /// <summary>That dataset and where <see cref="Locate"/> looks for it (relative folders: under the current one).</summary>
    public static string DefaultData(DatasetKind kind) => DefaultDataName(kind) + kind switch
    {
        DatasetKind.Mnist => $" from {FashionMnistDir} (Debian package {FashionMnistPackage})",
        DatasetKind.Cifar10 => $", binary version, from {CifarDefaultDir}/ (no Debian package: unpack cifar-10-binary.tar.gz there)",
        _ => $", train.bin and val.bin from {ImagenetteDefaultDir}/ (no Debian package: made by the book's preprocess_imagenette.py)",
    };

    DataLocation LocateMnist(string? dataDir)
    {
        if (dataDir is not null)
        {
            var missing = MissingMnistFiles(dataDir);
            if (missing.Count > 0)
                throw new DataNotFoundException(
                    $"--data {dataDir}: no MNIST-format data there (missing {string.Join(", ", missing)}, plain or .gz).");
            return new DataLocation(DatasetKind.Mnist, dataDir, $"MNIST-format data from {dataDir}");
        }
        if (MissingMnistFiles(fashionMnistDir).Count == 0)
            return new DataLocation(
                DatasetKind.Mnist, fashionMnistDir, $"Fashion-MNIST from {fashionMnistDir} (Debian package {FashionMnistPackage})");
        throw new DataNotFoundException(
            $"No training data: the default, Fashion-MNIST, is not in {fashionMnistDir}.\n" +
            $"Install it with:\n    {InstallCommand}\n" +
            "or point --data DIR at a folder with MNIST-format files (" + string.Join(", ", MnistFiles) + ", plain or .gz).");
    }

    public static IReadOnlyList<string> MissingMnistFiles(string dir) =>
        MnistFiles.Where(f => Loaders.FindMnistFile(dir, f) is null).ToList();

    static DataLocation LocateFolder(DatasetKind kind, string? dataDir, string[] subdirs, string marker, string defaultDir, string what)
    {
        var roots = dataDir is null ? [defaultDir] : new[] { dataDir };
        foreach (var dir in roots.SelectMany(r => subdirs.Select(s => Path.GetFullPath(Path.Combine(r, s)))))
            if (File.Exists(Path.Combine(dir, marker))) return new DataLocation(kind, dir, $"{kind} data from {dir}");
        throw new DataNotFoundException(
            $"No {kind} data: {marker} not found under {roots[0]} (looked in {string.Join(", ", subdirs)}). " +
            $"This dataset has no Debian package; download {what} and pass --data DIR.");
    }
}
