namespace LeanMlirVerify.Training.Specs;

/// <summary>
/// The original's channel-chaining validator (§2.5), which every spec — Part-1, ablation and bestiary — passes. It reads
/// each layer's <see cref="Layer.In"/>, <see cref="Layer.Out"/> (facts §3.C; 0 accepts or passes anything) and
/// <see cref="Layer.Chaining"/>.
/// </summary>
public static class Channels
{
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
            switch (layer.Chaining)
            {
                case ChannelChaining.Averages: afterGap = true; break;
                case ChannelChaining.Flattens: afterFlatten = true; break;
                case ChannelChaining.Tokens: afterTransformer = true; break;
                case ChannelChaining.Skipped: break;
                case ChannelChaining.Carries when layer.Out() > 0:
                    (prev, prevIndex) = (layer.Out(), i);
                    afterGap = afterFlatten = afterTransformer = false;
                    break;
            }
        }
    }
}
