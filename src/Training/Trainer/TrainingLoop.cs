using System.Diagnostics;
using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Optim;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// The book's training loop (training facts §4.1): per epoch the cumulative seeded shuffle and the
/// epoch's learning rate; per batch forward, softmax cross-entropy with the code's label smoothing (item 32),
/// the composed pullback, the optimizer step and the BN running-statistics update — under <c>no_grad</c>, one dispose
/// scope per step. ⌊N/B⌋ batches per epoch (the tail is dropped, as the book). Deliberate deviations: evaluation runs
/// after every epoch on ALL test images (the book: every 10th epoch, ⌊N/B⌋·B images); SGD momentum is an explicit
/// config field (default 0.9, the book's code). The backward is the hand-derived graph unless
/// <see cref="TrainOptions.Autograd"/> picks the autograd twin (<see cref="ITrainableModel"/>): everything else is shared.
/// </summary>
public sealed class TrainingLoop(NetSpec spec, TrainConfig config, DatasetKind dataset, TrainOptions options)
{
    /// <summary>The trace header's <c>phase</c> for each backward (the comparator ignores it; a reader sees which ran).</summary>
    public const string HandPhase = "lmv", TwinPhase = "lmv-autograd";

    readonly List<CurvePoint> losses = [], accuracies = [];

    /// <summary>
    /// Trains. Before the first step: the spec is checked, the output folder's rules applied (<see cref="RunFolder"/>),
    /// the data loaded, a resume's checkpoint matched, and every output folder created and probed; a failed write later
    /// throws <see cref="RunIoException"/> naming the file, the step and the last good checkpoint of this run.
    /// </summary>
    public TrainResult Run()
    {
        LibTorchRuntime.Apply(options.Autograd ? RuntimeSettings.AutogradTwin(options.Device) : RuntimeSettings.Defaults);
        using var network = options.Autograd
            ? new TwinModel(spec, options.Dtype, options.Device)
            : (ITrainableModel)HandModel.Create(spec, options.Dtype, options.Device);
        var folder = new RunFolder(options, spec.SanitizedName);
        folder.Check();
        var location = new DataLocator().Locate(dataset, options.DataDir);
        var train = location.LoadTrain();
        var batches = new Batches(train, config.BatchSize, training: true, config.Augment);
        if (ShapeInference.InputProblem(spec, Shape.Image(train.Channels, batches.Height, batches.Width)) is { } problem)
            throw new InvalidDataException($"{train.Source}: {problem}");
        if (batches.BatchesPerEpoch == 0)
            throw new InvalidDataException($"{train.Source}: {train.Count} images make no full batch of {config.BatchSize}");
        var test = location.LoadValidation();
        var log = options.Log;
        int bpE = batches.BatchesPerEpoch;

        using var optimizer = Optimizer.For(config, network.Parameters);
        int[] order = Shuffle.Identity(train.Count);
        int startEpoch = 0;
        long step = 0;
        string? lastCheckpoint = null; // only this run's: never one an earlier run left in the folder
        if (options.ResumePath is { } resume)
        {
            lastCheckpoint = RunFolder.ResumeCheckpoint(resume);
            (startEpoch, step, order) = Restore(lastCheckpoint, network, optimizer, train.Count);
        }
        foreach (var line in folder.Prepare(CheckpointBytes(optimizer, train.Count, bpE), OutputBytes(network))) log.WriteLine(line);

        log.WriteLine(LogFormat.Params(spec.Name, spec.TotalParams()));
        log.WriteLine($"  data: {location.Description}");
        log.WriteLine(LogFormat.TrainImages(train.Count, batches.FloatsPerImage));
        log.WriteLine(LogFormat.Memory(spec.TotalParams(), config));
        log.WriteLine(LogFormat.Training(bpE, config) + (config.UseAdam ? "" : $", momentum={LogFormat.Fixed(config.Momentum)}"));
        log.WriteLine(LogFormat.BnLayers(network.BnLayerCount, ParamTensors.BnStatFloats(spec)));
        log.WriteLine($"  backward: {network.Backward}");
        if (step > 0) log.WriteLine($"  resumed from {lastCheckpoint}: epoch {startEpoch + 1}, step {step}");

        ProgressBar? bar = null;
        try
        {
            using var trace = OpenTrace(step, log);
            var x = new float[config.BatchSize * batches.FloatsPerImage];
            var y = new long[config.BatchSize];
            long[] xShape = [config.BatchSize, network.InputElements];
            int epochsDone = startEpoch, correct = 0;
            bool stopped = false;
            for (int epoch = startEpoch; epoch < config.Epochs && !stopped; epoch++)
            {
                int firstBatch = (int)(step - (long)epoch * bpE);
                if (options.Shuffle && firstBatch == 0) Shuffle.Epoch(order, epoch);
                double lr = LrSchedule.ForEpoch(config, epoch), lossSum = 0;
                var clock = Stopwatch.StartNew();
                bar = options.ProgressBar ? new ProgressBar(log, $"epoch {epoch + 1}/{config.Epochs}", bpE) : null;
                for (int bi = firstBatch; bi < bpE; bi++)
                {
                    if (options.MaxSteps is { } max && step >= max)
                    {
                        stopped = true;
                        break;
                    }
                    var stepClock = Stopwatch.StartNew();
                    step++;
                    batches.Fill(order, epoch, bi, x, y);
                    double loss = TrainStep(network, optimizer, x, xShape, y, lr, step, epoch, trace);
                    if (!double.IsFinite(loss)) throw new TrainingDivergedException(step, epoch, bi, loss, lastCheckpoint);
                    lossSum += loss;
                    losses.Add(new(step, loss));
                    if (LogFormat.LogsStep(bi))
                    {
                        bar?.Clear();
                        log.WriteLine(LogFormat.Step(bi, bpE, loss, stepClock.ElapsedMilliseconds));
                    }
                    bar?.Update(bi + 1, loss);
                }
                bar?.Clear();
                if (stopped && step == (long)epoch * bpE + firstBatch) break;
                int done = (int)(step - (long)epoch * bpE - firstBatch);
                log.WriteLine(LogFormat.Epoch(epoch, config.Epochs, lossSum / Math.Max(1, done), lr, clock.ElapsedMilliseconds));
                if (!stopped) epochsDone = epoch + 1;
                (correct, _) = Evaluate(network, test, config.BatchSize);
                accuracies.Add(new(step, 100.0 * correct / test.Count));
                log.WriteLine($"  val accuracy (running BN, all {test.Count} test images): {correct}/{test.Count} = "
                    + $"{LogFormat.Fixed(100.0 * correct / test.Count)}%");
                SaveCheckpoint(network, optimizer, epochsDone, step, order);
                lastCheckpoint = options.Checkpoint;
            }
            if (accuracies.Count == 0) (correct, _) = Evaluate(network, test, config.BatchSize);

            var files = SaveOutputs(network, folder);
            log.WriteLine(LogFormat.Saved);
            return new TrainResult(step, epochsDone, correct, test.Count, [options.Trace, options.Checkpoint, .. files]);
        }
        catch (RunIoException e)
        {
            throw e.WithContext($" (at step {step}; " + (lastCheckpoint is null
                ? "no checkpoint of this run was written)"
                : $"the last good checkpoint is {lastCheckpoint})"));
        }
        finally
        {
            bar?.Clear(); // so that the error line does not land on the bar's line
        }
    }

    /// <summary>A new trace, or the resumed run's own, cut back to the checkpoint's step.</summary>
    TraceWriter OpenTrace(long step, TextWriter log)
    {
        var header = new TraceHeader(spec.Name, config, spec.TotalParams(), dataset, options.Autograd ? TwinPhase : HandPhase);
        if (step == 0) return TraceWriter.Create(options.Trace, header, options.Files);
        if (File.Exists(options.Trace)) return TraceWriter.Resume(options.Trace, header, step, options.Files, log.WriteLine);
        log.WriteLine($"warning: there is no trace at {options.Trace}: the new one starts at step {step + 1}");
        return TraceWriter.Create(options.Trace, header, options.Files);
    }

    /// <summary>About the size of a checkpoint of this run at its end (tensors, sample order, curve, names).</summary>
    long CheckpointBytes(Optimizer optimizer, int trainCount, int batchesPerEpoch)
    {
        long values = optimizer.Parameters.Sum(p => p.Value.numel()) + optimizer.State.Sum(s => s.Buffer.numel())
            + ParamTensors.BnStatFloats(spec);
        long steps = options.MaxSteps ?? (long)config.Epochs * batchesPerEpoch;
        return values * (options.Dtype == ScalarType.Float64 ? 8 : 4) + 4L * trainCount + 16 * (steps + config.Epochs) + 4096;
    }

    /// <summary>The float32 parameter and BN-statistics files.</summary>
    long OutputBytes(ITrainableModel network) => 4 * (network.Parameters.Sum(p => p.Value.numel()) + ParamTensors.BnStatFloats(spec));

    /// <summary>One step; returns the pre-update mini-batch loss (NaN/∞ returned as is, before any update).</summary>
    double TrainStep(
        ITrainableModel network, Optimizer optimizer, float[] x, long[] xShape, long[] y, double lr, long step, int epoch,
        TraceWriter trace)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var xb = tensor(x, xShape).to(options.Dtype, options.Device);
        var yb = tensor(y).to(options.Device);
        var (value, grads) = network.Step(xb, yb, config.LabelSmoothing, step);
        if (grads is null)
        {
            trace.Write(new TraceStep(step, epoch, value, lr));
            return value;
        }
        var (total, per) = RunTensors.GradNorms(optimizer.Parameters, grads);
        optimizer.Apply(grads, lr);
        trace.Write(new TraceStep(step, epoch, value, lr, total, per));
        return value;
    }

    /// <summary>Accuracy on every image of <paramref name="set"/> with the running BN statistics (first maximum wins).</summary>
    public static (int Correct, int Evaluated) Evaluate(ITrainableModel network, ImageSet set, int batchSize)
    {
        var evalBatches = new Batches(set, batchSize, training: false, augment: false);
        int correct = 0, floats = evalBatches.FloatsPerImage;
        var order = Shuffle.Identity(set.Count);
        var dtype = network.Parameters[0].Value.dtype;
        var device = network.Parameters[0].Value.device;
        for (int start = 0; start < set.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, set.Count - start);
            var x = new float[n * floats];
            using var scope = NewDisposeScope();
            for (int i = 0; i < n; i++) set.Normalize(order[start + i], x.AsSpan(i * floats, floats));
            var logits = network.Logits(tensor(x, [n, floats]).to(dtype, device));
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            for (int i = 0; i < n; i++) if (predicted[i] == set.Labels[start + i]) correct++;
        }
        return (correct, set.Count);
    }

    /// <summary>
    /// Loads the checkpoint into the live tensors. Its spec, config (the epoch count may grow), dtype and data must be
    /// this run's; a finished run needs more epochs, a stopped one a higher step limit, or there is nothing to do.
    /// </summary>
    (int Epoch, long Step, int[] Order) Restore(string path, ITrainableModel network, Optimizer optimizer, int trainCount)
    {
        var checkpoint = Checkpoint.Load(path);
        checkpoint.CheckMatches(spec);
        var lines = ConfigRequest.FieldDifferences(config, checkpoint.Config)
            .Select(d => $"  {d.Field}: this run has {d.A}, the checkpoint {d.B}").ToList();
        if (config.Epochs < checkpoint.Epoch)
            lines.Add($"  epochs: this run has {config.Epochs}, the checkpoint has completed {checkpoint.Epoch}");
        var dtype = RunTensors.ScalarTypeOf(checkpoint.Dtype);
        if (dtype != options.Dtype)
            lines.Add($"  dtype: this run is {ConfigRequest.Name(options.Dtype)}, the checkpoint's {ConfigRequest.Name(dtype)}");
        if (lines.Count > 0)
            throw new ResumeConflictException($"--resume {path}: this run differs from the checkpoint's:\n{string.Join("\n", lines)}");
        if (checkpoint.Epoch >= config.Epochs)
            throw new ResumeConflictException($"--resume {path}: the checkpoint has completed {checkpoint.Epoch} of the run's "
                + $"{config.Epochs} epochs, nothing is left to do; extend it with --epochs N (N > {checkpoint.Epoch})");
        if (options.MaxSteps <= checkpoint.Step)
            throw new ResumeConflictException($"--resume {path}: the checkpoint is at step {checkpoint.Step} already; "
                + $"--max-steps {options.MaxSteps} leaves nothing to do");
        if (checkpoint.Dataset != dataset || checkpoint.SampleOrder.Length != trainCount)
            throw new InvalidDataException(
                $"{path}: the checkpoint is for {checkpoint.SampleOrder.Length} {checkpoint.Dataset} images, this run has {trainCount} "
                + $"{dataset}");
        network.ResetBnStats(checkpoint.Step);
        RunTensors.Restore(checkpoint, optimizer, network.BnStats);
        losses.AddRange(checkpoint.Losses);
        accuracies.AddRange(checkpoint.Accuracies);
        return (checkpoint.Epoch, checkpoint.Step, checkpoint.SampleOrder);
    }

    void SaveCheckpoint(ITrainableModel network, Optimizer optimizer, int epochsDone, long step, int[] order) =>
        new Checkpoint(spec.Name, dataset, config, epochsDone, step, (int[])order.Clone(), RunTensors.Capture(optimizer, network.BnStats))
        {
            Dtype = RunTensors.DtypeOf(options.Dtype),
            Losses = [.. losses],
            Accuracies = [.. accuracies],
        }.Save(options.Checkpoint, options.Files);

    /// <summary>
    /// The book's flat float32 parameters file, its BN-statistics file (only for a net with BN: the book's trainers write
    /// none for nets without), and the training-curve PNG over the whole run, resumed parts included.
    /// </summary>
    List<string> SaveOutputs(ITrainableModel network, RunFolder folder)
    {
        var files = new List<string> { folder.ParamsPath };
        WriteFloats(folder.ParamsPath, network.Parameters.Select(p => p.Value));
        if (network.BnLayerCount > 0)
        {
            WriteFloats(folder.BnStatsPath, network.BnStats.Select(s => s.Value));
            files.Add(folder.BnStatsPath);
        }
        if (options.Plot && losses.Count > 0)
        {
            string title = $"{spec.Name} ({config.OptimizerName}, lr {config.LearningRate}, batch {config.BatchSize})";
            var png = CurvePlot.Png(title, losses, accuracies);
            AtomicFile.Write(folder.CurvePath, s => s.Write(png), options.Files);
            files.Add(folder.CurvePath);
        }
        return files;
    }

    /// <summary>Tensors concatenated as little-endian float32, written atomically (no half-written output).</summary>
    void WriteFloats(string path, IEnumerable<Tensor> tensors) => AtomicFile.Write(path, stream =>
    {
        foreach (var t in tensors)
        {
            using var cpu = t.detach().to(ScalarType.Float32, CPU).contiguous();
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
    }, options.Files);
}
