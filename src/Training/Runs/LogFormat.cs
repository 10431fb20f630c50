using System.Globalization;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Runs;

/// <summary>
/// The book's log lines (training facts §4.14, v0.5.3 wording), floats fixed at 6 decimals as Lean prints them.
/// Lines that only concerned MLIR/IREE compilation have no counterpart here.
/// </summary>
public static class LogFormat
{
    public static string Fixed(double x) => x.ToString("F6", CultureInfo.InvariantCulture);

    public static string Params(string name, long nParams) => $"{name}: {nParams} params";

    public static string TrainImages(int n, int floatsPerImage) => $"  train: {n} images ({floatsPerImage} floats/image)";

    /// <summary>
    /// Parameters plus the optimizer's buffers in float32, in MiB: Adam's m and v (⌊12·nP/2²⁰⌋, the book's line), or
    /// SGD's one momentum buffer (⌊8·nP/2²⁰⌋; the book prints Adam's line for SGD runs too).
    /// </summary>
    public static string Memory(long nParams, TrainConfig c) => c.UseAdam
        ? $"  {nParams} params + m + v ({12 * nParams / (1 << 20)} MB)"
        : $"  {nParams} params + momentum ({8 * nParams / (1 << 20)} MB)";

    public static string Training(int batchesPerEpoch, TrainConfig c) =>
        $"training: {batchesPerEpoch} batches/epoch, batch={c.BatchSize}, {(c.UseAdam ? "Adam" : "SGD+momentum")}, "
            + $"lr={Fixed(c.LearningRate)}, "
        + $"cosine warmup={c.WarmupEpochs}, label_smooth={Fixed(c.LabelSmoothing)}, wd={Fixed(c.WeightDecay)}";

    public static string BnLayers(int count, long statFloats) => $"  BN layers: {count}, BN stat floats: {statFloats}";

    /// <summary>Step lines are printed for batches 0, 1, 2 and every multiple of 100.</summary>
    public static bool LogsStep(int batchIndex) => batchIndex <= 2 || batchIndex % 100 == 0;

    public static string Step(int batchIndex, int batchesPerEpoch, double loss, long ms) =>
        $"  step {batchIndex}/{batchesPerEpoch}: loss={Fixed(loss)} ({ms}ms)";

    public static string Epoch(int epoch, int epochs, double meanLoss, double lr, long ms) =>
        $"Epoch {epoch + 1}/{epochs}: loss={Fixed(meanLoss)} lr={Fixed(lr)} ({ms}ms)";

    /// <summary>Validation runs every 10 epochs and after the last one.</summary>
    public static bool Evaluates(int epoch, int epochs) => (epoch + 1) % 10 == 0 || epoch + 1 == epochs;

    public static string Validation(int correct, int evaluated) =>
        $"  val accuracy (running BN): {correct}/{evaluated} = {Fixed(100.0 * correct / evaluated)}%";

    public const string Saved = "Saved params + BN stats.";

    /// <summary>The four lines the ablation runner prints before the trainer's own (optimizer "Adam" or "SGD", as the original).</summary>
    public static string[] AblationHeader(string ablation, string specName, TrainConfig c) =>
    [
        $"Ablation: {ablation}",
        $"  spec: {specName}, optimizer: {(c.UseAdam ? "Adam" : "SGD")}",
        $"  lr: {Fixed(c.LearningRate)}, cosine: {Flag(c.CosineDecay)}, wd: {Fixed(c.WeightDecay)}",
        $"  aug: {Flag(c.Augment)}, label_smooth: {Fixed(c.LabelSmoothing)}",
    ];

    static string Flag(bool b) => b ? "true" : "false";
}
