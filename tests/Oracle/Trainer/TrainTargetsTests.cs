using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>What `lmv train NAME` resolves to: the Part-1 catalog first, then a bestiary spec's Fashion-MNIST fit, or a refusal.</summary>
public class TrainTargetsTests
{
    [Fact]
    public void CatalogName_ResolvesToTheCatalogEntry_WithNothingToLog()
    {
        var t = TrainTargets.Resolve("mnist-cnn");
        Assert.Same(NetCatalog.Find("mnist-cnn"), t.Entry);
        Assert.Empty(t.Log);
        Assert.Null(t.Refusal);
    }

    [Fact]
    public void BestiarySpecThatFitsAsWritten_TrainsUnchanged_WithTheBestiaryRecipe()
    {
        var t = TrainTargets.Resolve("leNet300_100");
        Assert.Equal(BestiaryCatalog.Find("leNet300_100")!.Spec, t.Entry!.Spec);
        Assert.Equal(TrainTargets.BestiaryRecipe, t.Entry.Config);
        Assert.Equal(DatasetKind.Mnist, t.Entry.Dataset);
        Assert.Contains(t.Log, l => l.Contains("trained as written"));
        Assert.DoesNotContain(t.Log, l => l.Contains("changed:"));
    }

    [Fact]
    public void BestiaryVariant_LogsEveryChangedLayer_AndIsNamedAsAVariant()
    {
        // By display name, any case: the same lookup as `lmv bestiary --name`.
        var t = TrainTargets.Resolve("lenet-5");
        Assert.Equal("leNet5", t.Entry!.Name);
        Assert.Equal("LeNet-5 (Fashion-MNIST variant)", t.Entry.Spec.Name);
        Assert.Equal(["    changed: input 32×32 → 28×28", "    changed: layer 5: fc(400→120,relu) → fc(784→120,relu)"],
            t.Log.Where(l => l.Contains("changed:")));
        Assert.Equal(Shape.Flat(784).Elements, ShapeInference.InputShape(t.Entry.Spec).Elements);
    }

    [Theory]
    [InlineData("squeezeNet1_0", "does not train here: no checked rules for fireModule")]
    [InlineData("alphaGoPolicyNet", "not a dense classifier head")]
    [InlineData("mnistVAEDecoder", "takes a flat [20] input, not an image")]
    [InlineData("no-such-net", "unknown net 'no-such-net'")]
    public void UnfitOrUnknownName_IsRefusedNamingTheReason(string name, string reason)
    {
        var t = TrainTargets.Resolve(name);
        Assert.Null(t.Entry);
        Assert.Contains(reason, t.Refusal);
    }

    [Fact]
    public void UnknownName_ListsTheCatalogAndEveryFittingBestiarySpec()
    {
        var refusal = TrainTargets.Resolve("no-such-net").Refusal!;
        Assert.All(NetCatalog.Names, n => Assert.Contains(n, refusal));
        Assert.All(TrainTargets.Fitting, f => Assert.Contains(f.Entry.Id, refusal));
    }

    [Fact]
    public void BestiaryVariant_TrainsWithTheLoop_LossFalls()
    {
        using var data = new TinyData();
        var entry = TrainTargets.Resolve("leNet5").Entry!;
        var config = entry.Config with { Epochs = 6, BatchSize = 16 };
        var result = new TrainingLoop(entry.Spec, config, entry.Dataset, data.Options("lenet5")).Run();
        var steps = TraceReader.Read(data.Out("lenet5/trace.jsonl")).Steps;
        double first = steps.Take(4).Average(s => s.Loss), last = steps.TakeLast(4).Average(s => s.Loss);
        Assert.True(last < 0.5 * first, $"mean loss of the first epoch {first}, of the last {last}");
        Assert.True(result.Accuracy > 50, $"accuracy {result.Accuracy}% on the 40 test images");
    }
}
