using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Runs;
using LeanMlirVerify.Training.Specs;
using LeanMlirVerify.Training.Trainer;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Trainer;

/// <summary>What a user asks for against a recipe or a checkpoint, value checks, and the exit-code map.</summary>
public class ConfigRequestTests
{
    static readonly Checkpoint Head =
        new("MNIST-MLP", DatasetKind.Mnist, Recipes.S4tfBaseline(12), 3, 1404, [], []) { Dtype = StoredDtype.Float64 };

    [Fact]
    public void Problems_NameEachFlagAndItsValue_InOneLineEach()
    {
        var request = new ConfigRequest { Epochs = 0, BatchSize = -1, MaxSteps = 0, LearningRate = double.PositiveInfinity };
        Assert.Equal(
        [
            "--epochs 0: expected a whole number of at least 1",
            "--batch -1: expected a whole number of at least 1",
            "--max-steps 0: expected a whole number of at least 1",
            "--lr Infinity: expected a positive finite number, such as 0.01",
        ], request.Problems());
        Assert.Empty(new ConfigRequest { Epochs = 1, BatchSize = 1, MaxSteps = 1, LearningRate = 1e-3 }.Problems());
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("NaN")]
    [InlineData("-0.1")]
    [InlineData("0")]
    [InlineData("1e999")]
    [InlineData("fast")]
    public void LearningRate_ThatIsNotPositiveAndFinite_GetsAHumanMessage(string token) =>
        Assert.Equal($"--lr {token}: expected a positive finite number, such as 0.01", ConfigRequest.LearningRateProblem(token));

    [Fact]
    public void LearningRate_PositiveAndFinite_IsAccepted()
    {
        Assert.Null(ConfigRequest.LearningRateProblem("0.01"));
        Assert.Null(ConfigRequest.LearningRateProblem("1e-4"));
    }

    [Fact]
    public void NewRun_AppliesTheGivenValuesToTheRecipe()
    {
        var config = new ConfigRequest { Epochs = 2, LearningRate = 0.5, Seed = 7 }.NewRun(Recipes.AdamOnly());
        Assert.Equal(Recipes.AdamOnly(2) with { LearningRate = 0.5, Seed = 7 }, config);
        Assert.Equal(Recipes.S4tfBaseline(), new ConfigRequest { Recipe = Recipes.S4tfBaseline() }.NewRun(Recipes.AdamOnly()));
    }

    [Fact]
    public void Resume_TakesTheCheckpointsConfigAndDtype_AndEpochsExtendIt()
    {
        Assert.Equal((Recipes.S4tfBaseline(12), ScalarType.Float64), new ConfigRequest().Resume(Head, "c"));
        var same = new ConfigRequest
        {
            Recipe = Recipes.S4tfBaseline(5), RecipeName = "baseline", LearningRate = 0.1, Dtype = ScalarType.Float64,
        };
        Assert.Equal((Recipes.S4tfBaseline(12), ScalarType.Float64), same.Resume(Head, "c")); // the recipe's epoch count is not a conflict
        Assert.Equal(Recipes.S4tfBaseline(20), new ConfigRequest { Epochs = 20 }.Resume(Head, "c").Config);
    }

    [Fact]
    public void Resume_RefusesEveryGivenValueThatDiffers_OneLineEach()
    {
        var request = new ConfigRequest
        {
            Recipe = Recipes.AdamOnly(), RecipeName = "adam", LearningRate = 0.5, BatchSize = 64, Seed = 314159, Epochs = 2,
            Dtype = ScalarType.Float32,
        };
        var e = Assert.Throws<ResumeConflictException>(() => request.Resume(Head, "runs/x"));
        Assert.Equal(string.Join("\n",
            "--resume runs/x: flags differ from the checkpoint's run:",
            "  --lr 0.5: the checkpoint has lr 0.1",
            "  --batch 64: the checkpoint has batch_size 128",
            "  --config adam sets use_adam true: the checkpoint has use_adam false",
            "  --epochs 2: the checkpoint has completed 3 epochs already",
            "  --dtype float32: the checkpoint's run is float64"), e.Message);
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(e));
    }

    [Fact]
    public void ExitCodes_MapEachKindOfFailure_AndLeaveBugsUnmapped()
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(new DataFormatException("f", 0, "magic", "x")));
        Assert.Equal(ExitCodes.BadInput, ExitCodes.For(new InvalidDataException("checkpoint is for another net")));
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(new RunFolderException("holds a run")));
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(new DeviceUnavailableException("no CUDA")));
        Assert.Equal(ExitCodes.DataNotFound, ExitCodes.For(new DataNotFoundException("no data")));
        Assert.Equal(ExitCodes.Diverged, ExitCodes.For(new TrainingDivergedException(2, 0, 1, double.NaN, null)));
        Assert.Equal(ExitCodes.Io, ExitCodes.For(new RunIoException("/x", "is a file, not a folder (--out)")));
        Assert.Equal(ExitCodes.Io, ExitCodes.For(new IOException("No space left on device", 28)));
        Assert.Null(ExitCodes.For(new NullReferenceException()));
    }
}
