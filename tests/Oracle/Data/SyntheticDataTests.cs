using LeanMlirVerify.Training.Data;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Data;

/// <summary><c>--data synthetic</c>: each dataset's layout, seeded, balanced, and said to be synthetic wherever it is described.</summary>
public class SyntheticDataTests
{
    [Theory]
    [InlineData(DatasetKind.Mnist, 1, 28, 28)]
    [InlineData(DatasetKind.Cifar10, 3, 32, 32)]
    [InlineData(DatasetKind.Imagenette, 3, 256, 224)]
    public void Synthetic_HasTheDatasetsLayout_BalancedLabels_AndIsSeeded(DatasetKind kind, int channels, int trainSide, int testSide)
    {
        var train = SyntheticData.Train(kind);
        var test = SyntheticData.Validation(kind);
        Assert.Equal((kind, channels, trainSide, trainSide), (train.Kind, train.Channels, train.Height, train.Width));
        Assert.Equal((channels, testSide, testSide), (test.Channels, test.Height, test.Width));
        Assert.Equal(SyntheticData.Counts(kind), (train.Count, test.Count));
        Assert.All(Enumerable.Range(0, 10), c => Assert.InRange(train.Labels.Count(l => l == c), train.Count / 10, train.Count / 10 + 1));
        Assert.Equal(train.Pixels, SyntheticData.Train(kind).Pixels);
        Assert.NotEqual(train.Image(0).ToArray(), train.Image(10).ToArray()); // same class, other noise
    }

    /// <summary>Two classes differ in the square, not only in noise: the mean image of class 0 and of class 1 are far apart.</summary>
    [Fact]
    public void Synthetic_ClassesDifferByTheirSquare()
    {
        var set = SyntheticData.Train(DatasetKind.Cifar10);
        double[] Mean(int c)
        {
            var sum = new double[set.PixelsPerImage];
            int n = 0;
            for (int i = 0; i < set.Count; i++)
                if (set.Labels[i] == c)
                {
                    n++;
                    var image = set.Image(i);
                    for (int p = 0; p < sum.Length; p++) sum[p] += image[p];
                }
            return sum.Select(v => v / n).ToArray();
        }
        var (m0, m1) = (Mean(0), Mean(1));
        Assert.True(m0.Zip(m1).Max(p => Math.Abs(p.First - p.Second)) > 150);
        var again = Mean(0);
        Assert.Equal(0, m0.Zip(again).Max(p => Math.Abs(p.First - p.Second)));
    }

    [Fact]
    public void Locator_Synthetic_IsSelectedByName_AndSaysItIsSynthetic()
    {
        var location = new DataLocator("/nonexistent").Locate(DatasetKind.Imagenette, SyntheticData.Name);
        Assert.True(location.Synthetic);
        Assert.StartsWith("SYNTHETIC data in the Imagenette layout, not the real Imagenette", location.Description);
        Assert.Equal(320, location.LoadTrain().Count);
        Assert.Equal(224, location.LoadValidation().Height);
        Assert.Throws<DataNotFoundException>(() => new DataLocator("/nonexistent").Locate(DatasetKind.Cifar10, "/nonexistent/synthetic"));
    }
}
