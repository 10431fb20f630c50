using System.Collections.Concurrent;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// A few training steps of a catalog net as the trainer takes them (float32, CPU, the net's own recipe: optimizer,
/// weight decay, label smoothing, the first epoch's learning rate), on its dataset's synthetic stand-in, then one
/// evaluation batch with the running BN statistics. Reports every loss and gradient norm, and the parameters,
/// optimizer buffers, BN running statistics and evaluation logits after the steps.
/// </summary>
static class NetSteps
{
    static readonly ConcurrentDictionary<DatasetKind, ImageSet> Sets = new();

    /// <summary>The synthetic validation images: already at the net's input size (224 for Imagenette, no crop).</summary>
    static ImageSet Set(DatasetKind kind) => Sets.GetOrAdd(kind, SyntheticData.Validation);

    public static Fingerprint Run(string name, int batch, int steps, Func<TrainConfig, TrainConfig>? change = null)
    {
        var entry = NetCatalog.Find(name) ?? throw new ArgumentException($"no catalog net '{name}'");
        var config = change is null ? entry.Config : change(entry.Config);
        var numbers = new Fingerprint();
        using var scope = NewDisposeScope();
        var data = DifferentialRun.Batches(Set(entry.Dataset), steps + 1, batch);
        using var model = HandModel.Create(entry.Spec, ScalarType.Float32, CPU);
        using var optimizer = Optimizer.For(config, model.Parameters);
        double lr = LrSchedule.ForEpoch(config, 0);
        for (int step = 1; step <= steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var (loss, grads) = model.Step(data[step - 1].X, data[step - 1].Y, config.LabelSmoothing, step);
            numbers.Add($"step {step} loss", loss);
            Assert.True(grads is not null, $"{name}: loss {loss} at step {step}");
            var (total, per) = RunTensors.GradNorms(optimizer.Parameters, grads);
            numbers.Add($"step {step} grad norm", total);
            foreach (var (tensor, norm) in per) numbers.Add($"step {step} |d{tensor}|", norm);
            optimizer.Apply(grads, lr);
        }
        foreach (var p in model.Parameters) numbers.Add(p.Name, p.Value);
        foreach (var (buffer, value) in optimizer.State) numbers.Add(buffer, value);
        foreach (var (stat, value) in model.BnStats) numbers.Add(stat, value);
        var logits = model.Logits(data[steps].X);
        numbers.Add("evaluation logits", logits);
        numbers.Add("evaluation argmax", string.Join(",", logits.argmax(1).data<long>().ToArray()));
        return numbers;
    }
}
