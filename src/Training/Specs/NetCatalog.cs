using static LeanMlirVerify.Training.Specs.AblationSpecs;
using static LeanMlirVerify.Training.Specs.PartOneSpecs;
using static LeanMlirVerify.Training.Specs.Recipes;

namespace LeanMlirVerify.Training.Specs;

/// <summary>A named, runnable entry: a spec, its recipe and the dataset it trains on.</summary>
public sealed record CatalogEntry(string Name, NetSpec Spec, TrainConfig Config, DatasetKind Dataset, string Note = "");

/// <summary>
/// The networks by the names of the book's trainer targets without "-train" (plus the ablation runner's own specs),
/// each with its book recipe (training facts §4.15, netspec facts §4) and dataset.
/// </summary>
public static class NetCatalog
{
    public static IReadOnlyList<CatalogEntry> Nets { get; } =
    [
        new("mnist-mlp", MnistMlp, S4tfBaseline(12), DatasetKind.Mnist, "book ch. 3 (s4tfBaseline)"),
        new("mnist-cnn", MnistCnnNoBn, S4tfBaseline(12), DatasetKind.Mnist, "book ch. 4 CNN, no BN (s4tfBaseline)"),
        new("mnist-cnn-bn", MnistCnnBn, MnistAdamCosine(15), DatasetKind.Mnist, "the repo's standalone MNIST CNN trainer"),
        new("cifar-cnn", CifarCnn("CIFAR-10-CNN"), CifarTrainer(25), DatasetKind.Cifar10, "book ch. 5, no BN"),
        new("cifar-bn", CifarBn("CIFAR-10-BN"), CifarTrainer(30), DatasetKind.Cifar10, "book ch. 5, with BN"),
        new("resnet34", ResNet34, R34Full, DatasetKind.Imagenette, "book ch. 6"),
        new("resnet50", ResNet50, R34Full, DatasetKind.Imagenette, "repo trainer"),
        new("mobilenet-v2", MobileNetV2, R34Full, DatasetKind.Imagenette, "book ch. 7"),
        new("mobilenet-v3", MobileNetV3Large, R34Full, DatasetKind.Imagenette, "repo trainer"),
        new("mobilenet-v4", MobileNetV4Medium, R34Full, DatasetKind.Imagenette, "repo trainer"),
        new("efficientnet", EfficientNetB0, R34Full, DatasetKind.Imagenette, "book ch. 8"),
        new("efficientnet-v2", EfficientNetV2S, R34Full, DatasetKind.Imagenette, "repo trainer"),
        new("vgg", Vgg16Bn, R34Full, DatasetKind.Imagenette, "repo trainer"),
        new("vit-tiny", VitTiny, VitTinyRecipe, DatasetKind.Imagenette, "book ch. 10"),
        new("mnist-linear", MnistLinear, S4tfBaseline(12), DatasetKind.Mnist, "ablation spec"),
        new("mnist-shallow", MnistShallow, S4tfBaseline(15), DatasetKind.Mnist, "ablation spec"),
        .. new long[] { 32, 64, 128, 256, 512 }.Select(w =>
            new CatalogEntry($"mnist-h{w}", MnistHidden(w), SgdLowLr2(15), DatasetKind.Mnist, "ablation spec")),
        .. new long[] { 8, 16, 32, 64 }.Select(f =>
            new CatalogEntry($"mnist-cnn-f{f}", MnistCnnWidth(f), SgdLowLr2(15), DatasetKind.Mnist, "ablation spec")),
        .. new long[] { 8, 16, 32, 64 }.Select(f =>
            new CatalogEntry($"cifar-bn-f{f}", CifarCnnWidth(f), SgdLowLr2(30), DatasetKind.Cifar10, "ablation spec")),
        new("mnist-cnn-lite", MnistCnnLite, S4tfBaseline(15), DatasetKind.Mnist, "ablation spec"),
        new("mnist-cnn-lite-bn", MnistCnnLiteBn, S4tfBaseline(15), DatasetKind.Mnist, "ablation spec"),
        new("cifar-lite-nobn", CifarLiteNoBn, SgdLowLr2(30), DatasetKind.Cifar10, "ablation spec"),
        new("cifar-lite-bn", CifarLiteBn, SgdLowLr2(30), DatasetKind.Cifar10, "ablation spec"),
    ];

    public static IEnumerable<string> Names => Nets.Select(e => e.Name);

    public static CatalogEntry? Find(string name) =>
        Nets.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The ablation runner's registry (netspec facts §5.3) as data. <see cref="RunSpec"/> renames the spec
/// "&lt;spec name&gt;-&lt;ablation&gt;" as the original does, so artefacts of different ablations do not collide.
/// </summary>
public sealed record Ablation(string Name, NetSpec Spec, TrainConfig Config, DatasetKind Dataset)
{
    public NetSpec RunSpec => Spec.Renamed($"{Spec.Name}-{Name}");

    /// <summary>Default data folder of the original: "data", or "data/imagenette" for the r34-* runs.</summary>
    public string DefaultDataDir => Dataset == DatasetKind.Imagenette ? "data/imagenette" : "data";

    public static IReadOnlyList<Ablation> All { get; } =
    [
        new("linear-sgd", MnistLinear, S4tfBaseline(12), DatasetKind.Mnist),
        new("linear-adam", MnistLinear, AdamOnly(12), DatasetKind.Mnist),
        new("shallow-sgd", MnistShallow, S4tfBaseline(15), DatasetKind.Mnist),
        new("shallow-adam", MnistShallow, AdamOnly(15), DatasetKind.Mnist),
        .. new long[] { 32, 64, 128, 256, 512 }.Select(w => new Ablation($"width-h{w}", MnistHidden(w), SgdLowLr2(15), DatasetKind.Mnist)),
        .. new long[] { 8, 16, 32, 64 }.Select(f => new Ablation($"width-cnn-f{f}", MnistCnnWidth(f), SgdLowLr2(15), DatasetKind.Mnist)),
        .. new long[] { 8, 16, 32, 64 }.Select(
            f => new Ablation($"width-cifar-f{f}", CifarCnnWidth(f), SgdLowLr2(30), DatasetKind.Cifar10)),
        new("mlp-sgd", MnistMlp, S4tfBaseline(12), DatasetKind.Mnist),
        new("mlp-sgd-low", MnistMlp, SgdLowLr(15), DatasetKind.Mnist),
        new("mlp-adam", MnistMlp, AdamOnly(12), DatasetKind.Mnist),
        new("mlp-full", MnistMlp, FullRecipe(0.001, 12, 128), DatasetKind.Mnist),
        new("cnn-nobn-sgd", MnistCnnNoBn, S4tfBaseline(12), DatasetKind.Mnist),
        new("cnn-nobn-adam", MnistCnnNoBn, AdamOnly(15), DatasetKind.Mnist),
        new("cnn-bn-sgd", MnistCnnBn, S4tfBaseline(15), DatasetKind.Mnist),
        new("cnn-bn-adam", MnistCnnBn, AdamOnly(15), DatasetKind.Mnist),
        new("cnn-bn-full", MnistCnnBn, FullRecipe(0.001, 15, 128), DatasetKind.Mnist),
        new("cnn-lite-nobn-sgd", MnistCnnLite, S4tfBaseline(15), DatasetKind.Mnist),
        new("cnn-lite-bn-sgd", MnistCnnLiteBn, S4tfBaseline(15), DatasetKind.Mnist),
        new("cnn-lite-nobn-sgd002", MnistCnnLite, SgdLowLr2(15), DatasetKind.Mnist),
        new("cnn-lite-bn-sgd002", MnistCnnLiteBn, SgdLowLr2(15), DatasetKind.Mnist),
        new("cifar-nobn-sgd", CifarCnn(), S4tfBaseline(30), DatasetKind.Cifar10),
        new("cifar-nobn-sgd002", CifarCnn(), SgdLowLr2(30), DatasetKind.Cifar10),
        new("cifar-nobn-adam", CifarCnn(), AdamOnly(30), DatasetKind.Cifar10),
        new("cifar-bn-sgd", CifarBn(), S4tfBaseline(30), DatasetKind.Cifar10),
        new("cifar-bn-sgd002", CifarBn(), SgdLowLr2(30), DatasetKind.Cifar10),
        new("cifar-bn-adam", CifarBn(), AdamOnly(30), DatasetKind.Cifar10),
        new("cifar-bn-cosine", CifarBn(), AdamCosine(30), DatasetKind.Cifar10),
        new("cifar-bn-aug", CifarBn(), AdamCosineAug(30), DatasetKind.Cifar10),
        new("cifar-bn-full", CifarBn(), FullRecipe(0.001, 30, 128), DatasetKind.Cifar10),
        new("cifar-lite-nobn-sgd002", CifarLiteNoBn, SgdLowLr2(30), DatasetKind.Cifar10),
        new("cifar-lite-bn-sgd002", CifarLiteBn, SgdLowLr2(30), DatasetKind.Cifar10),
        new("r34-full", ResNet34, R34Full, DatasetKind.Imagenette),
        new("r34-no-adam", ResNet34, R34NoAdam, DatasetKind.Imagenette),
        new("r34-no-cosine", ResNet34, R34NoCosine, DatasetKind.Imagenette),
        new("r34-no-warmup", ResNet34, R34NoWarmup, DatasetKind.Imagenette),
        new("r34-no-wd", ResNet34, R34NoWd, DatasetKind.Imagenette),
        new("r34-no-smooth", ResNet34, R34NoSmooth, DatasetKind.Imagenette),
        new("r34-no-aug", ResNet34, R34NoAug, DatasetKind.Imagenette),
        new("r34-bare", ResNet34, R34Bare, DatasetKind.Imagenette),
    ];

    public static Ablation? Find(string name) => All.FirstOrDefault(a => a.Name == name);
}
