namespace LeanMlirVerify.Training.Trainer;

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
            if (labels[b] < 0 || labels[b] >= classes) throw new ArgumentOutOfRangeException(
                nameof(labels), $"label {labels[b]} of row {b} is not in 0..{classes - 1}");
            t.AsSpan(b * classes, classes).Fill(off);
            t[b * classes + labels[b]] = on;
        }
        return t;
    }
}
