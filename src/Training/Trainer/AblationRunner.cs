using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// The book's ablation runner (netspec facts §5.3): one registry entry through the same <see cref="TrainingLoop"/> and
/// log lines as <c>lmv train</c>, under the renamed spec "&lt;spec&gt;-&lt;ablation&gt;", after the runner's four
/// header lines (training facts §4.14).
/// </summary>
public static class AblationRunner
{
    /// <summary>The registry entry called <paramref name="name"/>; an unknown name is refused listing every known one.</summary>
    public static Ablation Resolve(string name) =>
        Ablation.Find(name) ?? throw new ArgumentException(
            $"unknown ablation '{name}'. Known ablations: {string.Join(", ", Ablation.All.Select(a => a.Name))}");

    /// <summary>
    /// Runs <paramref name="ablation"/> with <paramref name="config"/> (its own, or with a user's overrides such as a
    /// shorter schedule) and <paramref name="options"/> (data folder, output folder, max steps, device).
    /// </summary>
    public static TrainResult Run(Ablation ablation, TrainConfig config, TrainOptions options)
    {
        new RunFolder(options, ablation.RunSpec.SanitizedName).Check(); // a refusal comes alone, before the header
        foreach (var line in LogFormat.AblationHeader(ablation.Name, ablation.RunSpec.Name, config)) options.Log.WriteLine(line);
        return new TrainingLoop(ablation.RunSpec, config, ablation.Dataset, options).Run();
    }

    /// <summary>Test accuracies the book reports for registry runs (netspec facts §4.3, §5.3), in percent.</summary>
    public static IReadOnlyDictionary<string, double> BookAccuracy { get; } = new Dictionary<string, double>
    {
        ["cifar-nobn-sgd"] = 10.00, ["cifar-bn-sgd"] = 61.57, ["cifar-nobn-sgd002"] = 72.5, ["cifar-bn-sgd002"] = 72.9,
        ["r34-full"] = 90.29, ["r34-bare"] = 72.82, ["r34-no-aug"] = 82.71, ["r34-no-cosine"] = 86.81,
        ["r34-no-adam"] = 87.04, ["r34-no-warmup"] = 88.88, ["r34-no-smooth"] = 89.24, ["r34-no-wd"] = 89.68,
    };
}
