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

/// <summary>
/// Label-smoothing targets as the book's code computes them (training facts §4.8): 1 − ε + ε/K on the true class and
/// ε/K elsewhere (the book's prose says 1 − ε and ε/(K−1)). ε = 0 gives one-hot.
/// </summary>
public static class LabelSmoothing
{
    /// <summary>Row-major B×K targets for the given labels.</summary>
    public static float[] Targets(ReadOnlySpan<long> labels, int classes, double epsilon)
    {
        float off = (float)(epsilon / classes), on = (float)(1.0 - epsilon + epsilon / classes);
        var t = new float[labels.Length * classes];
        for (int b = 0; b < labels.Length; b++)
        {
            if (labels[b] < 0 || labels[b] >= classes) throw new ArgumentOutOfRangeException(nameof(labels), $"label {labels[b]} of row {b} is not in 0..{classes - 1}");
            t.AsSpan(b * classes, classes).Fill(off);
            t[b * classes + labels[b]] = on;
        }
        return t;
    }
}
