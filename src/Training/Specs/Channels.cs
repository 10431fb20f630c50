namespace LeanMlirVerify.Training.Specs;

/// <summary>A spec that cannot run: names the layer index, the constructor and what does not meet.</summary>
public sealed class SpecException(string specName, int layerIndex, Layer? layer, string problem)
    : Exception($"{specName}: layer {layerIndex}{(layer is null ? "" : $" ({layer.Constructor} {layer.Compact()})")}: {problem}")
{
    public string SpecName { get; } = specName;
    public int LayerIndex { get; } = layerIndex;
    public Layer? Layer { get; } = layer;
    public string Problem { get; } = problem;
}

/// <summary>
/// In/out channel numbers (facts §3.C) and the original's channel-chaining validator (§2.5), which every spec —
/// Part-1, ablation and bestiary — passes. Pooling, flatten and GAP are 0/0 ("accept anything").
/// </summary>
public static class Channels
{
    public static long In(this Layer layer) => layer switch
    {
        Conv2d l => l.Ic, ConvBn l => l.Ic, ResidualBlock l => l.Ic, BottleneckBlock l => l.Ic, SeparableConv l => l.Ic,
        InvertedResidual l => l.Ic, MbConv l => l.Ic, MbConvV3 l => l.Ic, FusedMbConv l => l.Ic, Uib l => l.Ic,
        Dense l => l.FanIn, FireModule l => l.Ic, PatchEmbed l => l.Ic,
        TransformerEncoder l => l.Dim, MambaBlock l => l.Dim, SwinStage l => l.Dim, TransformerDecoder l => l.Dim,
        PatchMerging l => l.InDim, UnetDown l => l.Ic, UnetUp l => l.Ic, ShuffleBlock l => l.Ic, ShuffleV2Block l => l.Ic,
        AsppModule l => l.Ic, CspBlock l => l.Ic, ConvNextDownsample l => l.Ic, DetrHeads l => l.Dim, FpnModule l => l.C5,
        EvoformerBlock l => l.MsaChannels, StructureModule l => l.SingleChannels, MobileVitBlock l => l.Ic,
        ConvNextStage l => l.Channels, DarknetBlock l => l.Channels, WaveNetBlock l => l.ResidualCh,
        PositionalEncoding l => l.InputDim, NerfMlp l => l.EncodedPosDim, InceptionModule l => l.Ic,
        _ => 0,
    };

    public static long Out(this Layer layer) => layer switch
    {
        Conv2d l => l.Oc, ConvBn l => l.Oc, ResidualBlock l => l.Oc, BottleneckBlock l => l.Oc, SeparableConv l => l.Oc,
        InvertedResidual l => l.Oc, MbConv l => l.Oc, MbConvV3 l => l.Oc, FusedMbConv l => l.Oc, Uib l => l.Oc,
        Dense l => l.FanOut, FireModule l => l.Expand1x1 + l.Expand3x3, PatchEmbed l => l.Dim,
        TransformerEncoder l => l.Dim, MambaBlock l => l.Dim, SwinStage l => l.Dim, TransformerDecoder l => l.Dim,
        PatchMerging l => l.OutDim, UnetDown l => l.Oc, UnetUp l => l.Oc, ShuffleBlock l => l.Oc, ShuffleV2Block l => l.Oc,
        AsppModule l => l.Oc, CspBlock l => l.Oc, ConvNextDownsample l => l.Oc, DetrHeads l => l.NClasses + 1,
        FpnModule l => l.Target, EvoformerBlock l => l.MsaChannels, StructureModule l => l.SingleChannels,
        MobileVitBlock l => l.Ic, ConvNextStage l => l.Channels, DarknetBlock l => l.Channels, WaveNetBlock l => l.SkipCh,
        PositionalEncoding l => l.InputDim * 2 * l.NumFrequencies, NerfMlp => 4,
        InceptionModule l => l.B1 + l.B2 + l.B3 + l.B4,
        _ => 0,
    };

    /// <summary>The original's validator (facts §2.5): throws at the first layer whose in-channels do not meet.</summary>
    public static void Validate(NetSpec spec)
    {
        long prev = 0;
        int prevIndex = -1;
        bool afterGap = false, afterFlatten = false, afterTransformer = false;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            long ic = layer.In();
            if (ic > 0 && prev > 0 && (afterGap || afterTransformer || !afterFlatten) && ic != prev)
                throw new SpecException(spec.Name, i, layer,
                    $"expects {ic} input channels but layer {prevIndex} ({spec.Layers[prevIndex].Compact()}) gives {prev}");
            switch (layer)
            {
                case GlobalAvgPool: afterGap = true; break;
                case Flatten: afterFlatten = true; break;
                case TransformerEncoder or MambaBlock or TransformerDecoder or EvoformerBlock or StructureModule:
                    afterTransformer = true; break;
                case SwinStage: break;
                default:
                    if (layer.Out() > 0)
                    {
                        (prev, prevIndex) = (layer.Out(), i);
                        afterGap = afterFlatten = afterTransformer = false;
                    }
                    break;
            }
        }
    }
}
