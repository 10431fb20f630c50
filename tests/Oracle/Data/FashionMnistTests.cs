using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;
using Xunit.Abstractions;

namespace LeanMlirVerify.Oracle.Data;

/// <summary>The real default dataset, when this machine has it (Debian package dataset-fashion-mnist).</summary>
public class FashionMnistTests(ITestOutputHelper output)
{
    [Fact]
    public void FashionMnist_WhenInstalled_Has60000TrainAnd10000TestImagesOf28x28()
    {
        if (!Directory.Exists(DataLocator.FashionMnistDir))
        {
            output.WriteLine($"{DataLocator.FashionMnistDir} is absent: checked that the locator names the install command instead.");
            var e = Assert.Throws<DataNotFoundException>(() => new DataLocator().Locate(DatasetKind.Mnist));
            Assert.Contains(DataLocator.InstallCommand, e.Message);
            return;
        }
        output.WriteLine($"{DataLocator.FashionMnistDir} is present: loaded and checked the real files.");
        var location = new DataLocator().Locate(DatasetKind.Mnist);
        var train = location.LoadTrain();
        var test = location.LoadValidation();
        Assert.Equal((60_000, 1, 28, 28), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal((10_000, 1, 28, 28), (test.Count, test.Channels, test.Height, test.Width));
        // Fashion-MNIST is balanced: 6,000 train and 1,000 test images per class.
        Assert.All(train.Labels.CountBy(l => l), c => Assert.Equal(6_000, c.Value));
        Assert.All(test.Labels.CountBy(l => l), c => Assert.Equal(1_000, c.Value));
        Assert.Equal(10, train.Labels.Distinct().Count());
        Assert.Contains(train.Pixels, p => p == 255);
    }
}
