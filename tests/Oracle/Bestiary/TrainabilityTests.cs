using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>Which bestiary specs train here (checked constructors + a consistent shape chain), and on 1×28×28 inputs.</summary>
public class TrainabilityTests
{
    static NetSpec Spec(string id) => BestiaryCatalog.Find(id)!.Spec;

    [Fact]
    public void FortyThreeSpecsAreTrainableHere()
    {
        var trainable = BestiaryCatalog.All.Where(e => Trainability.IsTrainable(e.Spec)).Select(e => e.Id).ToList();
        Assert.Equal(43, trainable.Count);
        Assert.Contains("leNet300_100", trainable);
        Assert.Contains("tinyAlphaZeroPolicy", trainable);
        Assert.Contains("mnistVAEEncoder", trainable);
        Assert.Contains("samEncoderB", trainable);
        // Every trainable spec really chains: shapes infer end to end.
        Assert.All(trainable, id => Assert.Equal(Spec(id).Layers.Count, ShapeInference.Infer(Spec(id)).Count));
    }

    [Fact]
    public void UncheckedConstructor_IsNamedWithItsFirstLayer()
    {
        Assert.Equal("no checked rules for fireModule (first: layer 2, fire(96,sq16,e64+64))", Trainability.WhyNot(Spec("squeezeNet1_0")));
        Assert.StartsWith("no checked rules for unetDown, unetUp (first: layer 0", Trainability.WhyNot(Spec("unet")));
    }

    [Fact]
    public void ShapeMisfit_IsNamedWithItsLayerAndBothWidths()
    {
        // conv2d ignores `valid`, so LeNet-5's 32×32 input reaches the flatten as 16×8×8 = 1024, not the 400 it was written for.
        var why = Trainability.WhyNot(Spec("leNet5"));
        Assert.StartsWith("layer 5 (fc(400→120,relu))", why);
        Assert.Contains("[400]", why);
        Assert.Contains("[1024]", why);
        // DCGAN's stand-in 4×4 conv2d output layer has an even kernel.
        Assert.Contains("even kernel 4", Trainability.WhyNot(Spec("dcganGenerator")));
        // BERT's embedding stand-in is a dense layer: a transformer needs tokens, not a vector.
        Assert.StartsWith("layer 1 (tx(", Trainability.WhyNot(Spec("bertBase")));
    }

    [Fact]
    public void FashionMnist_TwoFitAsIs_TwentyOneWithAVariant()
    {
        var fits = BestiaryCatalog.All.Select(e => (e.Id, Fit: Trainability.FashionMnist(e.Spec))).ToList();
        Assert.Equal(["leNet300_100", "mnistVAEEncoder"], fits.Where(f => f.Fit.Kind == FitKind.AsIs).Select(f => f.Id));
        Assert.Equal(21, fits.Count(f => f.Fit.Kind == FitKind.Variant));
        Assert.All(fits.Where(f => f.Fit.Kind != FitKind.No), f =>
        {
            var s = f.Fit.Spec!;
            Assert.Equal((28, 28), (s.ImageH, s.ImageW));
            Assert.Equal(Shape.Flat(28 * 28).Elements, ShapeInference.InputShape(s).Elements);
            Assert.True(ShapeInference.NumClasses(s) >= 10, f.Id);
            Assert.Equal(s.Layers.Count, ShapeInference.Infer(s).Count);
        });
    }

    [Fact]
    public void FashionMnistVariant_ListsEveryChangedLayer()
    {
        var fit = Trainability.FashionMnist(Spec("tinyAlphaZeroValue"));
        Assert.Equal(FitKind.Variant, fit.Kind);
        Assert.Equal(
        [
            "input 9×9 → 28×28",
            "layer 0: cbn(17→64,k3,s1) → cbn(1→64,k3,s1)",
            "layer 4: fc(81→64,relu) → fc(784→64,relu)",
            "layer 5: fc(64→1,id) → fc(64→10,id)",
        ], fit.Changes);
        Assert.Equal(Spec("tinyAlphaZeroValue").Layers.Count, fit.Spec!.Layers.Count);
    }

    [Fact]
    public void FashionMnist_RefusesWhatCannotBeMadeToFit()
    {
        Assert.Equal(FitKind.No, Trainability.FashionMnist(Spec("unet")).Kind);
        Assert.Contains("not a dense classifier head", Trainability.FashionMnist(Spec("alphaGoPolicyNet")).Reason);
        Assert.Contains("not an image", Trainability.FashionMnist(Spec("mnistVAEDecoder")).Reason);
        Assert.Contains("patch grid", Trainability.FashionMnist(Spec("clipViTB32ImageEncoder")).Reason);
    }
}
