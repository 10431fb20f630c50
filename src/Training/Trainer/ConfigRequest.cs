using System.Globalization;
using System.Text.Json.Nodes;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// The configuration a user asked for: a recipe named explicitly and single-field overrides, each null when not given.
/// A new run applies the overrides to the recipe. A resumed run takes the checkpoint's configuration and dtype, and
/// refuses every given value that differs from them; <see cref="Epochs"/> may only extend the run.
/// </summary>
public sealed record ConfigRequest
{
    /// <summary>The recipe named on the command line (null when the default was left alone), and its name.</summary>
    public TrainConfig? Recipe { get; init; }
    public string RecipeName { get; init; } = "";
    public int? Epochs { get; init; }
    public int? BatchSize { get; init; }
    public double? LearningRate { get; init; }
    public long? Seed { get; init; }
    public long? MaxSteps { get; init; }
    public ScalarType? Dtype { get; init; }

    /// <summary>One line per value out of range, naming the flag and the value; empty when all are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Epochs < 1) problems.Add($"--epochs {Epochs}: expected a whole number of at least 1");
        if (BatchSize < 1) problems.Add($"--batch {BatchSize}: expected a whole number of at least 1");
        if (MaxSteps < 1) problems.Add($"--max-steps {MaxSteps}: expected a whole number of at least 1");
        if (LearningRate is { } lr && LearningRateProblem(lr.ToString("R", CultureInfo.InvariantCulture)) is { } p) problems.Add(p);
        return problems;
    }

    /// <summary>Null when <paramref name="token"/> is a positive finite number, else the line that says what is wrong.</summary>
    public static string? LearningRateProblem(string token) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) && double.IsFinite(lr) && lr > 0
            ? null
            : $"--lr {token}: expected a positive finite number, such as 0.01";

    /// <summary>The configuration of a new run: the named recipe (else <paramref name="recipe"/>) with the overrides.</summary>
    public TrainConfig NewRun(TrainConfig recipe)
    {
        var baseline = Recipe ?? recipe;
        return Overridden(baseline) with { Epochs = Epochs ?? baseline.Epochs };
    }

    /// <summary>
    /// The configuration and dtype to resume <paramref name="checkpoint"/> (its head is enough) with; throws
    /// <see cref="ResumeConflictException"/> with one line per given value that differs from the checkpoint's run.
    /// </summary>
    public (TrainConfig Config, ScalarType Dtype) Resume(Checkpoint checkpoint, string path)
    {
        var stored = checkpoint.Config;
        var asked = Overridden(Recipe ?? stored) with { Epochs = stored.Epochs };
        var lines = new List<string>();
        foreach (var (field, want, have) in FieldDifferences(asked, stored))
        {
            string flag = field switch
            {
                "lr" when LearningRate is not null => "--lr " + want,
                "batch_size" when BatchSize is not null => "--batch " + want,
                "seed" when Seed is not null => "--seed " + want,
                _ => $"--config {RecipeName} sets {field} {want}",
            };
            lines.Add($"  {flag}: the checkpoint has {field} {have}");
        }
        if (Epochs < checkpoint.Epoch) lines.Add($"  --epochs {Epochs}: the checkpoint has completed {checkpoint.Epoch} epochs already");
        var storedDtype = RunTensors.ScalarTypeOf(checkpoint.Dtype);
        if (Dtype is { } dtype && dtype != storedDtype) lines.Add($"  --dtype {Name(dtype)}: the checkpoint's run is {Name(storedDtype)}");
        if (lines.Count > 0)
            throw new ResumeConflictException($"--resume {path}: flags differ from the checkpoint's run:\n{string.Join("\n", lines)}");
        return (stored with { Epochs = Epochs ?? stored.Epochs }, storedDtype);
    }

    TrainConfig Overridden(TrainConfig c) => c with
    {
        LearningRate = LearningRate ?? c.LearningRate,
        BatchSize = BatchSize ?? c.BatchSize,
        Seed = Seed ?? c.Seed,
    };

    /// <summary>The config fields (trace-format names, epochs aside) where <paramref name="a"/> and <paramref name="b"/> differ.</summary>
    public static IEnumerable<(string Field, string A, string B)> FieldDifferences(TrainConfig a, TrainConfig b)
    {
        JsonObject ja = ConfigJson.ToJson(a), jb = ConfigJson.ToJson(b);
        foreach (var (field, value) in ja)
            if (field != "epochs" && !JsonNode.DeepEquals(value, jb[field]))
                yield return (field, value!.ToJsonString(), jb[field]!.ToJsonString());
    }

    public static string Name(ScalarType dtype) => dtype == ScalarType.Float64 ? "float64" : "float32";
}

/// <summary>A resume whose flags differ from the checkpoint's run, one line per difference (exit code 2).</summary>
public sealed class ResumeConflictException(string message) : Exception(message);
