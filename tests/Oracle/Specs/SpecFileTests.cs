using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>Spec files round-trip: every catalog net and every bestiary spec, written and read back, is the same net.</summary>
public class SpecFileTests
{
    public static TheoryData<string> CatalogNames => [.. NetCatalog.Names];

    [Theory]
    [MemberData(nameof(CatalogNames))]
    public void CatalogNet_WrittenAndRead_IsTheSameNetRecipeAndDataset(string name)
    {
        var entry = NetCatalog.Find(name)!;
        var doc = SpecFile.Parse($"{name}.yaml", SpecFile.Write(entry.Spec, entry.Dataset, entry.Config));
        Assert.Equal(entry.Spec, doc.Spec);
        Assert.Equal(entry.Config, doc.Recipe);
        Assert.Equal(entry.Dataset, doc.Dataset);
        Assert.Equal(entry.Spec.TotalParams(), doc.Spec.TotalParams());
        Assert.Equal(ParamTensors.Of(entry.Spec).Select(t => (t.Name, t.ShapeText, t.Role, t.FanIn)),
            ParamTensors.Of(doc.Spec).Select(t => (t.Name, t.ShapeText, t.Role, t.FanIn)));
    }

    [Fact]
    public void EveryLibraryConstructor_IsNamedAsTheBookNamesIt_AndEveryBestiarySpecRoundTrips()
    {
        // The bestiary uses every accounting-only constructor; with the catalog, every constructor is written at least once.
        var used = new HashSet<string>();
        int refused = 0;
        foreach (var e in BestiaryCatalog.All)
        {
            used.UnionWith(e.Spec.Layers.Select(l => l.Constructor));
            // A file is checked as lmv params checks a spec (SpecReport.Of): one it refuses, the file refuses alike.
            if (Refusal(() => SpecReport.Of(e.Spec)) is { } problem)
            {
                var file = Assert.Throws<SpecFileException>(() => SpecFile.Parse($"{e.Id}.yaml", SpecFile.Write(e.Spec)));
                Assert.EndsWith(problem.Problem, file.Message);
                Assert.Contains($": layer {problem.LayerIndex} ", file.Message);
                refused++;
                continue;
            }
            var back = SpecFile.Parse($"{e.Id}.yaml", SpecFile.Write(e.Spec)).Spec;
            Assert.Equal(e.Spec, back);
            Assert.Equal(e.Spec.TotalParams(), back.TotalParams());
        }
        Assert.InRange(refused, 1, BestiaryCatalog.All.Count / 2);
        used.UnionWith(NetCatalog.Nets.SelectMany(n => n.Spec.Layers).Select(l => l.Constructor));
        // avgPool2 is in no catalog or bestiary net: a net of its own.
        var pooled = new NetSpec("pooled", [Layer.Conv2d(1, 4, 3, Padding.Valid, Activation.Relu6), Layer.AvgPool2(), Layer.Flatten(),
            Layer.Dense(784, 10, Activation.Identity)]);
        Assert.Equal(pooled, SpecFile.Parse("pooled.yaml", SpecFile.Write(pooled)).Spec);
        used.UnionWith(pooled.Layers.Select(l => l.Constructor));
        Assert.Equal(LayerConstructor.All.Keys.Order(), used.Order());
        Assert.Contains("conv2d", used);
        Assert.Contains("nerfMLP", used);
    }

    [Fact]
    public void Written_IsReadableText_WithTheBooksNamesAndArguments()
    {
        var entry = NetCatalog.Find("mnist-cnn")!;
        var text = SpecFile.Write(entry.Spec, entry.Dataset, entry.Config);
        Assert.Contains("name: \"MNIST-CNN-noBN\"\ninput: {height: 28, width: 28}\ndataset: mnist\nrecipe:\n  learningRate: 0.1\n"
            + "  batchSize: 128\n", text);
        Assert.Contains("\n  - conv2d: {ic: 1, oc: 32, k: 3, pad: same, act: relu}\n", text);
        Assert.Contains("\n  - flatten\n", text);
        Assert.Contains("\n  - dense: {fanIn: 512, fanOut: 10, act: identity}\n", text);
    }

    [Fact]
    public void PositionalArguments_FlatInput_AndDefaults_ReadAsTheBookWritesThem()
    {
        var doc = SpecFile.Parse(
            "mlp.yml",
            "name: tiny\ninput: {flat: 784}\nlayers:\n  - dense: [784, 32, relu]\n  - dense: {fanIn: 32, fanOut: 10, act: identity}\n");
        Assert.Equal(
            new NetSpec("tiny", [Layer.Dense(784, 32, Activation.Relu), Layer.Dense(32, 10, Activation.Identity)], 784, 1), doc.Spec);
        Assert.Null(doc.Dataset);
        Assert.Equal(SpecFile.DefaultRecipe(null), doc.Recipe);
        var cifar = SpecFile.Parse(
            "c.yaml", "name: c\ndataset: cifar10\nrecipe: {epochs: 2, useAdam: false}\nlayers: [{dense: [784, 10, identity]}]\n");
        Assert.Equal(Recipes.CifarTrainer(30) with { Epochs = 2, UseAdam = false }, cifar.Recipe);
        Assert.Equal(
            DatasetKind.Mnist, SpecFile.Parse("f.yaml", "name: f\ndataset: fashion-mnist\nlayers: [{dense: [784, 10, relu]}]").Dataset);
    }

    static SpecException? Refusal(Action check)
    {
        try { check(); return null; }
        catch (SpecException e) { return e; }
    }

    public static TheoryData<string> SmallNets => ["mnist-linear", "mnist-cnn-lite", "mnist-cnn-lite-bn"];

    [Theory]
    [MemberData(nameof(SmallNets))]
    public void SmallNet_ReadBack_TakesTheSameFirstTrainingStep_BitForBit(string name)
    {
        var entry = NetCatalog.Find(name)!;
        var read = SpecFile.Parse($"{name}.yaml", SpecFile.Write(entry.Spec, entry.Dataset, entry.Config)).Spec;
        using var scope = NewDisposeScope();
        var input = ShapeInference.InputShape(entry.Spec);
        var x = rand([4, input.Elements], generator: manual_seed(7));
        var labels = tensor(new long[] { 0, 3, 9, 1 });
        double Loss(NetSpec spec)
        {
            using var model = HandModel.Create(spec, ScalarType.Float32, CPU);
            return model.Step(x, labels, 0.1, 1).Loss;
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(Loss(entry.Spec)), BitConverter.DoubleToInt64Bits(Loss(read)));
    }
}
