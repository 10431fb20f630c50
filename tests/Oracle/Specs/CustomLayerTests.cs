using LeanMlirVerify.Training.Graph;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>A channel scale y = x·(1 + tanh a) written as a user would: a plugin type this test assembly provides.</summary>
public sealed class TestChannelScale(long channels, bool wrong = false) : ICustomLayer
{
    public IReadOnlyList<ParamTensor> Tensors() => [new ParamTensor("a", [channels], ParamRole.Bias)];
    public Shape? Next(Shape x) => x.Kind == ShapeKind.Image && x.A == channels ? x : null;
    public string Needs(Shape x) => $"{channels} channels";
    public IVjpNode Rule(Init init, string name) => new ScaleRule(channels, init, name, wrong);

    sealed class ScaleRule : HasVjp<Tensor3, Tensor3>
    {
        readonly Parameter a;
        readonly long c;
        readonly bool wrong;

        public ScaleRule(long channels, Init init, string name, bool wrong) : base("custom:testScale", $"test scale {channels}")
        {
            (c, this.wrong) = (channels, wrong);
            a = Own(new Parameter($"{name}.a", Item, init.Ones(channels).MulInPlace(0.3)));
        }

        protected override (Tensor3 y, Pullback<Tensor3, Tensor3> pullback) Run(Tensor3 x)
        {
            var t = a.Value.tanh().view(1, c, 1, 1);
            var s = t.Add(1);
            return (new Tensor3(x.T * s), dy =>
            {
                // ∂a = Σ dy·x·(1 − tanh²a); the wrong variant forgets the (1 − tanh²a).
                var credit = wrong ? dy.T * x.T : dy.T * x.T * t.Square().RSub(1);
                a.Accumulate(credit.sum([0, 2, 3]), Culprit);
                return new Tensor3(dy.T * s);
            });
        }
    }
}

/// <summary>Custom layers from spec files: read, counted, built, trained, checked by GradCheck.Rule, refused where they must be.</summary>
public class CustomLayerTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("lmv-custom-").FullName;
    static readonly string Plugin = typeof(TestChannelScale).Assembly.Location;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Spec(string custom, string name = "net.yaml")
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, $"name: scaled\ndataset: mnist\nplugins: [\"{Plugin}\"]\nlayers:\n"
            + "  - conv2d: {ic: 1, oc: 4, k: 3, pad: same, act: identity}\n"
            + $"  - custom: {custom}\n  - flatten\n  - dense: {{fanIn: 3136, fanOut: 10, act: identity}}\n");
        return path;
    }

    [Fact]
    public void CustomLayer_IsRead_Counted_WrittenBack_Built_AndPassesItsCheck()
    {
        var doc = SpecFile.Read(Spec("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, channels: 4, wrong: false}"));
        var layer = Assert.IsType<CustomLayer>(doc.Spec.Layers[1]);
        Assert.Equal(4, layer.NParams());
        Assert.Equal("TestChannelScale(channels=4,wrong=false)", layer.Compact());
        Assert.Equal(40 + 4 + 31_370, doc.Spec.TotalParams());
        Assert.Equal(doc.Spec, SpecFile.Parse(Path.Combine(dir, "again.yaml"), SpecFile.Write(doc.Spec, folder: dir)).Spec);
        using (var model = HandModel.Create(doc.Spec, ScalarType.Float32, CPU))
        using (var scope = NewDisposeScope())
            Assert.True(double.IsFinite(model.Step(rand(2, 784), tensor(new long[] { 1, 2 }), 0, 1).Loss));
        var check = Assert.Single(CustomLayerChecks.Run(doc.Spec));
        Assert.True(check.Passed, check.Result.Message);
        Assert.Equal("layer 1 (custom TestChannelScale(channels=4,wrong=false)): GradCheck.Rule at a float64 point 2×4×4×4: passed, "
            + $"{check.Result.Comparisons.Count} comparisons", check.Summary);
    }

    [Fact]
    public void WrongBackward_FailsItsCheck_NamingTheLayerAndTheElement()
    {
        var doc = SpecFile.Read(Spec("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, channels: 4, wrong: true}"));
        var check = Assert.Single(CustomLayerChecks.Run(doc.Spec));
        Assert.False(check.Passed);
        Assert.StartsWith("layer 1 (custom TestChannelScale(channels=4,wrong=true)): its backward fails GradCheck.Rule at a float64 point "
            + "2×4×4×4, so the net is not trained (a wrong backward would train silently):\nGradCheck failed for rule test scale 4 "
            + "[custom:testScale]", check.Refusal);
        Assert.Matches(@"\nVJP mismatch: parameter 'L1\.a' \[[0-3]\]", check.Refusal);
    }

    [Fact]
    public void Twin_RefusesACustomRule_SayingWhatChecksItInstead()
    {
        var doc = SpecFile.Read(Spec("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, channels: 4, wrong: false}"));
        using var scope = NewDisposeScope();
        var parameters = ParamTensors.Of(doc.Spec).Select(t => zeros(t.Shape)).ToList();
        var e = Assert.Throws<NotSupportedException>(() => AutogradTwin.Forward(doc.Spec, parameters, zeros(2, 784)));
        Assert.Equal("twin: layer 1 (custom LeanMlirVerify.Oracle.Specs.TestChannelScale) is a rule written outside the library, so "
            + "the autograd twin has no form of it; lmv check --twin FILE checks it with GradCheck.Rule instead", e.Message);
    }

    [Fact]
    public void BadCustomLayers_AreRefused_AtTheirNode()
    {
        string Refusal(string custom) => Assert.Throws<SpecFileException>(() => SpecFile.Read(Spec(custom))).Message;
        string at = Path.Combine(dir, "net.yaml");
        Assert.Equal($"{at}:6:20: layer 1 (custom): type 'No.Such' is in none of the plugins ({Path.GetFileName(Plugin)}); "
            + "their custom layers: LeanMlirVerify.Oracle.Specs.TestChannelScale", Refusal("{type: No.Such, channels: 4}"));
        Assert.Equal($"{at}:6:20: layer 1 (custom): type 'LeanMlirVerify.Oracle.Specs.CustomLayerTests' is not a concrete class "
            + "implementing LeanMlirVerify.Training.Specs.ICustomLayer", Refusal("{type: LeanMlirVerify.Oracle.Specs.CustomLayerTests}"));
        Assert.Equal($"{at}:6:13: layer 1 (custom) LeanMlirVerify.Oracle.Specs.TestChannelScale: missing argument 'wrong' "
            + "(LeanMlirVerify.Oracle.Specs.TestChannelScale takes channels, wrong)",
            Refusal("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, channels: 4}"));
        Assert.Equal($"{at}:6:89: layer 1 (custom) LeanMlirVerify.Oracle.Specs.TestChannelScale: argument 'channels' must be a "
            + "whole number, not 'four'", Refusal("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, wrong: true, channels: four}"));
        Assert.Equal($"{at}:6:5: layer 1 (custom TestChannelScale(channels=8,wrong=false)): needs 8 channels but layer 0 "
            + "(conv(1→4,k3,same,id)) gives 4×28×28",
                Refusal("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, channels: 8, wrong: false}"));
    }

    [Fact]
    public void Resolver_TakesNamesAndFiles_WithTheirExitCodes()
    {
        var file = TrainTargets.Resolve(Spec("{type: LeanMlirVerify.Oracle.Specs.TestChannelScale, channels: 4, wrong: false}"));
        Assert.Equal("net", file.Entry!.Name);
        Assert.Equal(DatasetKind.Mnist, file.File!.Dataset);
        Assert.Equal(SpecFile.DefaultRecipe(DatasetKind.Mnist), file.Entry.Config);
        var bad = TrainTargets.Resolve(Path.Combine(dir, "missing.yml"));
        Assert.Equal(
            (ExitCodes.BadInput, $"{Path.Combine(dir, "missing.yml")}: no such spec file (looked for {Path.Combine(dir, "missing.yml")})"),
            (bad.RefusalCode, bad.Refusal));
        Assert.Equal(ExitCodes.Usage, TrainTargets.Resolve("no-such-net").RefusalCode);
        Assert.Same(NetCatalog.Find("mnist-mlp"), TrainTargets.Resolve("mnist-mlp").Entry);
    }
}
