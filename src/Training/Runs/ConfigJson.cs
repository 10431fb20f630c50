using System.Text.Json.Nodes;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Runs;

/// <summary>
/// TrainConfig as the trace format's <c>config</c> object (training facts §3.1: lr, batch_size, epochs, use_adam,
/// weight_decay, cosine, warmup_epochs, augment, label_smoothing, seed) plus <c>momentum</c>, which we honour.
/// </summary>
public static class ConfigJson
{
    public static JsonObject ToJson(TrainConfig c) => new()
    {
        ["lr"] = c.LearningRate,
        ["batch_size"] = c.BatchSize,
        ["epochs"] = c.Epochs,
        ["use_adam"] = c.UseAdam,
        ["momentum"] = c.Momentum,
        ["weight_decay"] = c.WeightDecay,
        ["cosine"] = c.CosineDecay,
        ["warmup_epochs"] = c.WarmupEpochs,
        ["augment"] = c.Augment,
        ["label_smoothing"] = c.LabelSmoothing,
        ["seed"] = c.Seed,
    };

    /// <summary>Reads a config object; a missing or mistyped field throws <see cref="FormatException"/> naming it.</summary>
    public static TrainConfig FromJson(JsonNode? node)
    {
        if (node is not JsonObject o) throw new FormatException("config: expected a JSON object");
        T Get<T>(string key) => o[key] is { } v ? v.GetValue<T>()
            : throw new FormatException($"config: missing field \"{key}\"");
        return new TrainConfig(Get<double>("lr"), Get<int>("batch_size"), Get<int>("epochs"))
        {
            UseAdam = Get<bool>("use_adam"),
            Momentum = o["momentum"] is { } m ? m.GetValue<double>() : 0.9,
            WeightDecay = Get<double>("weight_decay"),
            CosineDecay = Get<bool>("cosine"),
            WarmupEpochs = Get<int>("warmup_epochs"),
            Augment = Get<bool>("augment"),
            LabelSmoothing = Get<double>("label_smoothing"),
            Seed = Get<long>("seed"),
        };
    }

    public static string DatasetName(DatasetKind kind) => kind switch
    {
        DatasetKind.Mnist => "mnist",
        DatasetKind.Cifar10 => "cifar10",
        _ => "imagenette",
    };

    public static DatasetKind ParseDataset(string name) => name switch
    {
        "mnist" => DatasetKind.Mnist,
        "cifar10" => DatasetKind.Cifar10,
        "imagenette" => DatasetKind.Imagenette,
        _ => throw new FormatException($"dataset: expected mnist, cifar10 or imagenette, found \"{name}\""),
    };
}
