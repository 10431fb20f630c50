using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Specs;

/// <summary>Every way a spec file can be wrong is refused with the file, line and column, the layer and what was expected.</summary>
public class SpecFileErrorTests
{
    const string Head = "name: bad\ninput: {height: 28, width: 28}\nlayers:\n";

    static string Refusal(string text) => Assert.Throws<SpecFileException>(() => SpecFile.Parse("bad.yaml", text)).Message;

    public static TheoryData<string, string> Cases => new()
    {
        // unknown constructor
        { Head + "  - conv3d: {ic: 1, oc: 8, k: 3}\n",
          "bad.yaml:4:5: layer 0: unknown constructor 'conv3d' (known: asppModule, avgPool2, bottleneckBlock, conv2d, convBn, convNextDownsample, convNextStage, cspBlock, darknetBlock, dense, detrHeads, evoformerBlock, fireModule, flatten, fpnModule, fusedMbConv, globalAvgPool, inceptionModule, invertedResidual, mambaBlock, maxPool, mbConv, mbConvV3, mobileVitBlock, nerfMLP, patchEmbed, patchMerging, positionalEncoding, residualBlock, separableConv, shuffleBlock, shuffleV2Block, structureModule, swinStage, transformerDecoder, transformerEncoder, uib, unetDown, unetUp, waveNetBlock, custom)" },
        // missing, extra and ill-typed arguments
        { Head + "  - conv2d: {ic: 1, oc: 8, k: 3, pad: same}\n",
          "bad.yaml:4:5: layer 0 (conv2d): missing argument 'act' (conv2d takes ic, oc, k, pad, act)" },
        { Head + "  - conv2d: {ic: 1, oc: 8, k: 3, pad: same, act: relu, stride: 2}\n",
          "bad.yaml:4:56: layer 0 (conv2d): unknown argument 'stride' (conv2d takes ic, oc, k, pad, act)" },
        { Head + "  - conv2d: {ic: 1, oc: 8, k: three, pad: same, act: relu}\n",
          "bad.yaml:4:31: layer 0 (conv2d): argument 'k' must be a whole number, not 'three'" },
        { Head + "  - conv2d: {ic: 1, oc: 8, k: 3, pad: same, act: gelu}\n",
          "bad.yaml:4:50: layer 0 (conv2d): argument 'act' must be relu, relu6 or identity, not 'gelu'" },
        { Head + "  - conv2d: [1, 8, 3, same]\n",
          "bad.yaml:4:13: layer 0 (conv2d): 4 arguments given, conv2d takes ic, oc, k, pad, act (5)" },
        { Head + "  - flatten: {x: 1}\n",
          "bad.yaml:4:15: layer 0 (flatten): unknown argument 'x' (flatten takes no arguments)" },
        { Head + "  - dense\n",
          "bad.yaml:4:5: layer 0 (dense): missing argument 'fanIn' (dense takes fanIn, fanOut, act)" },
        // channels and shapes that do not meet (ShapeInference), and a bad argument value
        { Head + "  - conv2d: {ic: 1, oc: 8, k: 3, pad: same, act: relu}\n  - conv2d: {ic: 16, oc: 8, k: 3, pad: same, act: relu}\n",
          "bad.yaml:5:5: layer 1 (conv2d conv(16→8,k3,same,relu)): needs 16×28×28 (16 channels) but layer 0 (conv(1→8,k3,same,relu)) gives 8×28×28" },
        { Head + "  - conv2d: {ic: 1, oc: 8, k: 3, pad: same, act: relu}\n  - flatten\n  - dense: {fanIn: 784, fanOut: 10, act: identity}\n",
          "bad.yaml:6:5: layer 2 (dense fc(784→10,id)): needs [784] but layer 1 (flat) gives [6272]" },
        { Head + "  - conv2d: {ic: 1, oc: 8, k: 2, pad: same, act: relu}\n",
          "bad.yaml:4:5: layer 0 (conv2d conv(1→8,k2,same,relu)): even kernel 2: conv2d pads floor((k−1)/2) at stride 1, so the output would be one pixel smaller than declared; use an odd kernel" },
        // the file's own keys
        { "name: bad\nlayerz: []\n",
          "bad.yaml:2:1: unknown key 'layerz' (a spec file has name, input, dataset, recipe, plugins, layers)" },
        { "input: {height: 28, width: 28}\nlayers: [flatten]\n",
          "bad.yaml:1:1: missing 'name:' (the net's display name)" },
        { "name: bad\nlayers: []\n",
          "bad.yaml:2:9: 'layers' must be a non-empty list of layers (- constructor: {argument: value, …})" },
        { "name: bad\ninput: {height: 0, width: 28}\nlayers: [flatten]\n",
          "bad.yaml:2:17: 'height' must be at least 1, not 0" },
        { "name: bad\ndataset: svhn\nlayers: [flatten]\n",
          "bad.yaml:2:10: unknown dataset 'svhn' (expected mnist, fashion-mnist, cifar10, imagenette)" },
        { "name: bad\nrecipe: {epochs: many}\nlayers: [flatten]\n",
          "bad.yaml:2:18: recipe key 'epochs' must be a whole number, not 'many'" },
        { "name: bad\nrecipe: {momentun: 0.5}\nlayers: [flatten]\n",
          "bad.yaml:2:10: unknown recipe key 'momentun' (expected learningRate, batchSize, epochs, seed, momentum, useAdam, weightDecay, cosineDecay, warmupEpochs, augment, labelSmoothing)" },
        { "- just\n- a list\n",
          "bad.yaml:1:1: the top level must be a mapping (name, input, dataset, recipe, plugins, layers), not a list" },
        // YAML syntax and empty files
        { Head + "  - conv2d: {ic: 1, oc: 8\n",
          "bad.yaml:5:1: YAML syntax error: While parsing a flow mapping, did not find expected ',' or '}'." },
        { "name: bad\n  layers: x\n",
          "bad.yaml:2:9: YAML syntax error: While scanning a plain scalar value, found invalid mapping." },
        { "",
          "bad.yaml:1:1: the file is empty; a spec file is a YAML mapping with at least 'name:' and 'layers:'" },
        { "# only a comment\n",
          "bad.yaml:1:1: the file is empty; a spec file is a YAML mapping with at least 'name:' and 'layers:'" },
        // custom layers need a plugin
        { Head + "  - custom: {type: My.Layer, channels: 8}\n",
          "bad.yaml:4:20: layer 0 (custom): type 'My.Layer' not found: the file names no plugins (plugins: [path/to/Assembly.dll])" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadFile_IsRefused_NamingFileLineColumnAndWhatWasExpected(string text, string message) =>
        Assert.Equal(message, Refusal(text));

    [Fact]
    public void NonexistentFile_IsRefused_NamingTheFileAndWhereItWasLooked()
    {
        var e = Assert.Throws<SpecFileException>(() => SpecFile.Read("no/such/net.yaml"));
        Assert.Equal($"no/such/net.yaml: no such spec file (looked for {Path.GetFullPath("no/such/net.yaml")})", e.Message);
    }

    [Fact]
    public void MissingPlugin_IsRefused_WhereTheFileNamesIt_LookedForNextToTheFile()
    {
        var e = Assert.Throws<SpecFileException>(() =>
            SpecFile.Parse("specs/bad.yaml", "name: bad\nplugins: [nowhere/My.dll]\nlayers: [flatten]\n"));
        Assert.Equal($"specs/bad.yaml:2:11: plugin 'nowhere/My.dll' not found (looked for {Path.GetFullPath("specs/nowhere/My.dll")}); "
            + "build the plugin project first", e.Message);
    }
}
