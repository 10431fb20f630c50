using LeanMlirVerify.Training.Bestiary;
using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Oracle.Bestiary;

/// <summary>Every bestiary spec passes the original's channel-chaining validator (facts §2.5); broken ones name the layer.</summary>
public class BestiaryValidationTests
{
    public static TheoryData<string> Ids => new(BestiaryCatalog.All.Select(e => e.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void Spec_PassesTheChannelValidator(string id) => Channels.Validate(BestiaryCatalog.Find(id)!.Spec);

    [Fact]
    public void MismatchedChannels_AreRejectedNamingTheLayerIndex()
    {
        // LeNet-5 with its second conv expecting 7 channels where the first gives 6.
        var leNet = BestiaryCatalog.Find("leNet5")!.Spec;
        var broken = leNet with { Layers = [.. leNet.Layers.Select((l, i) => i == 2 ? ((Conv2d)l) with { Ic = 7 } : l)] };
        var e = Assert.Throws<SpecException>(() => Channels.Validate(broken));
        Assert.Equal(2, e.LayerIndex);
        Assert.Contains("layer 2", e.Message);
        Assert.Contains("7", e.Message);
        Assert.Contains("6", e.Message);
    }

    [Fact]
    public void MismatchedBestiaryConstructor_IsRejectedNamingTheLayerIndex()
    {
        // UNet whose first decoder stage expects 512 channels where the bottleneck gives 1024.
        var unet = BestiaryCatalog.Find("unet")!.Spec;
        int up = unet.Layers.ToList().FindIndex(l => l is UnetUp);
        var broken = unet with { Layers = [.. unet.Layers.Select((l, i) => i == up ? Layer.UnetUp(512, 512) : l)] };
        var e = Assert.Throws<SpecException>(() => Channels.Validate(broken));
        Assert.Equal(up, e.LayerIndex);
        Assert.Contains($"layer {up}", e.Message);
    }

    [Fact]
    public void TransformerStack_MustKeepItsWidth()
    {
        // After a transformer-like layer the validator still checks the next width (afterTransformer), unlike after flatten.
        var broken = new NetSpec("broken", [Layer.Dense(10, 128, Activation.Identity), Layer.MambaBlock(128, 16, 2, 1),
            Layer.Dense(64, 10, Activation.Identity)]);
        Assert.Equal(2, Assert.Throws<SpecException>(() => Channels.Validate(broken)).LayerIndex);
        Channels.Validate(new NetSpec("fine", [Layer.Conv2d(1, 8, 3, Padding.Same, Activation.Relu), Layer.Flatten(),
            Layer.Dense(12345, 10, Activation.Identity)]));
    }
}
