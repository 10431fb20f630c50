namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// The training knobs of the book's <c>TrainConfig</c> (netspec facts §1.3), with one deliberate change:
/// <see cref="Momentum"/> is honoured and defaults to 0.9. The book's prose calls the SGD baseline "plain SGD, no
/// momentum", but its code (v0.5.3) always runs heavy-ball momentum 0.9 when Adam is off and ignores the field; we
/// follow the code by default and let a recipe say otherwise (<c>Momentum = 0</c> gives plain SGD).
/// </summary>
public sealed record TrainConfig(double LearningRate, int BatchSize, int Epochs)
{
    /// <summary>Written into trace headers; the init, shuffle and augmentation streams use the book's fixed seeds.</summary>
    public long Seed { get; init; } = 314159;

    /// <summary>Heavy-ball momentum μ of the SGD path (u ← μu + g). Default 0.9 as the book's code; ignored by Adam.</summary>
    public double Momentum { get; init; } = 0.9;

    public bool UseAdam { get; init; }

    /// <summary>Decoupled decay on kernel tensors only, using the pre-update weight (both optimizers).</summary>
    public double WeightDecay { get; init; }

    public bool CosineDecay { get; init; }

    /// <summary>Linear warmup epochs; as in the book's code, only applied when <see cref="CosineDecay"/> is on.</summary>
    public int WarmupEpochs { get; init; }

    public bool Augment { get; init; }

    public double LabelSmoothing { get; init; }

    public string OptimizerName => UseAdam ? "Adam" : "SGD+momentum";
}

/// <summary>The configuration builders of the book's ablation runner and trainers (netspec facts §4, §5.1).</summary>
public static class Recipes
{
    /// <summary>The Swift-for-TensorFlow baseline of chapters 3–4: SGD lr 0.1, batch 128 (momentum 0.9, as the code).</summary>
    public static TrainConfig S4tfBaseline(int epochs = 12) => new(0.1, 128, epochs);
    public static TrainConfig SgdLowLr(int epochs = 15) => new(0.01, 128, epochs);
    public static TrainConfig SgdLowLr2(int epochs = 15) => new(0.002, 128, epochs);
    public static TrainConfig AdamOnly(int epochs = 15) => new(0.001, 128, epochs) { UseAdam = true };
    public static TrainConfig AdamCosine(int epochs = 15) => AdamOnly(epochs) with { CosineDecay = true, WarmupEpochs = 1 };
    public static TrainConfig AdamCosineAug(int epochs = 30) => AdamOnly(epochs) with
    {
        CosineDecay = true,
        WarmupEpochs = 2,
        Augment = true
    };

    public static TrainConfig FullRecipe(double lr = 0.001, int epochs = 15, int batch = 128) =>
        new(lr, batch, epochs)
        {
            UseAdam = true,
            WeightDecay = 0.0001,
            CosineDecay = true,
            WarmupEpochs = 1,
            Augment = true,
            LabelSmoothing = 0.1
        };

    /// <summary>The repo's standalone MNIST trainers: Adam 1e-3, wd 1e-4, cosine with 1 warmup epoch.</summary>
    public static TrainConfig MnistAdamCosine(int epochs) =>
        new(0.001, 128, epochs) { UseAdam = true, WeightDecay = 0.0001, CosineDecay = true, WarmupEpochs = 1 };

    /// <summary>The CIFAR trainers: Adam 1e-3, wd 1e-4, cosine with 2 warmup epochs, flip augmentation.</summary>
    public static TrainConfig CifarTrainer(int epochs) =>
        new(0.001, 128, epochs) { UseAdam = true, WeightDecay = 0.0001, CosineDecay = true, WarmupEpochs = 2, Augment = true };

    /// <summary>ResNet-34's production recipe (= the ablation's r34Full), shared by every Imagenette trainer but ViT.</summary>
    public static TrainConfig R34Full => new(0.001, 32, 80)
        { UseAdam = true, WeightDecay = 0.0001, CosineDecay = true, WarmupEpochs = 3, Augment = true, LabelSmoothing = 0.1 };

    public static TrainConfig VitTinyRecipe => R34Full with { LearningRate = 0.0003, WarmupEpochs = 5 };

    public static TrainConfig R34NoAdam => R34Full with { UseAdam = false, LearningRate = 0.01 };
    public static TrainConfig R34NoCosine => R34Full with { CosineDecay = false };
    public static TrainConfig R34NoWarmup => R34Full with { WarmupEpochs = 0 };
    public static TrainConfig R34NoWd => R34Full with { WeightDecay = 0 };
    public static TrainConfig R34NoSmooth => R34Full with { LabelSmoothing = 0 };
    public static TrainConfig R34NoAug => R34Full with { Augment = false };
    public static TrainConfig R34Bare => new(0.01, 32, 80) { Momentum = 0.9 };
}
