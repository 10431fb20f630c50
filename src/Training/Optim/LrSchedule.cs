using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Optim;

/// <summary>
/// Per-epoch learning rate (training facts §4.10), constant within an epoch. With cosine decay: linear warmup
/// base·(e+1)/W for e &lt; W, then base·½·(1 + cos(π·(e−W)/(E−W))). Without cosine the rate is constant and warmup is
/// ignored, as the book's code does (its simplified listing warms up regardless).
/// </summary>
public static class LrSchedule
{
    /// <summary>π as the original writes it.</summary>
    public const double Pi = 3.14159265358979;

    public static double ForEpoch(TrainConfig config, int epoch)
    {
        double lr = config.LearningRate;
        if (!config.CosineDecay) return lr;
        int w = config.WarmupEpochs, e = config.Epochs;
        if (epoch < w) return lr * (epoch + 1.0) / w;
        return lr * 0.5 * (1.0 + Math.Cos(Pi * (epoch - w) / (e - w)));
    }
}

