namespace LeanMlirVerify.Training.Specs;

/// <summary>The compact layer notation of the netspec facts (§4), e.g. <c>fc(784→512,relu)</c>, <c>res(64→128,×4,s2)</c>.</summary>
public static class Notation
{
    public static string Compact(this Layer layer) => layer switch
    {
        Conv2d l => $"conv({l.Ic}→{l.Oc},k{l.K},{Pad(l.Pad)},{Act(l.Act)})",
        ConvBn l => $"cbn({l.Ic}→{l.Oc},k{l.K},s{l.Stride})",
        MaxPool l => $"mp({l.Size}/{l.Stride})",
        GlobalAvgPool => "gap",
        Flatten => "flat",
        Dense l => $"fc({l.FanIn}→{l.FanOut},{Act(l.Act)})",
        ResidualBlock l => $"res({l.Ic}→{l.Oc},×{l.NBlocks},s{l.FirstStride})",
        BottleneckBlock l => $"bot({l.Ic}→{l.Oc},×{l.NBlocks},s{l.FirstStride})",
        SeparableConv l => $"sep({l.Ic}→{l.Oc},s{l.Stride})",
        InvertedResidual l => $"ir({l.Ic}→{l.Oc},e{l.Expand},s{l.Stride},×{l.NBlocks})",
        MbConv l => $"mb({l.Ic}→{l.Oc},e{l.Expand},k{l.K},s{l.Stride},×{l.NBlocks}{(l.UseSE ? ",SE" : "")})",
        MbConvV3 l => $"mb3({l.Ic}→{l.Oc},x{l.ExpandCh},k{l.K},s{l.Stride}{(l.UseSE ? ",SE" : "")},{(l.UseHSwish ? "HS" : "RE")})",
        FusedMbConv l => $"fmb({l.Ic}→{l.Oc},e{l.Expand},k{l.K},s{l.Stride},×{l.NBlocks}{(l.UseSE ? ",SE" : "")})",
        Uib l => $"uib({l.Ic}→{l.Oc},e{l.Expand},s{l.Stride},pre{l.PreDWk},post{l.PostDWk})",
        FireModule l => $"fire({l.Ic},sq{l.Squeeze},e{l.Expand1x1}+{l.Expand3x3})",
        PatchEmbed l => $"pe({l.Ic}→{l.Dim},p{l.PatchSize},n{l.NPatches})",
        TransformerEncoder l => $"tx(d{l.Dim},h{l.Heads},m{l.MlpDim},×{l.NBlocks})",
        MambaBlock l => $"mamba(d{l.Dim},N{l.StateSize},e{l.Expand},×{l.NBlocks})",
        SwinStage l => $"swin(d{l.Dim},h{l.Heads},m{l.MlpDim},w{l.WindowSize},×{l.NBlocks})",
        PatchMerging l => $"pmerge({l.InDim}→{l.OutDim})",
        UnetDown l => $"udown({l.Ic}→{l.Oc})",
        UnetUp l => $"uup({l.Ic}→{l.Oc})",
        TransformerDecoder l => $"txdec(d{l.Dim},h{l.Heads},m{l.MlpDim},×{l.NBlocks},q{l.NQueries})",
        DetrHeads l => $"detr(d{l.Dim},cls{l.NClasses})",
        ShuffleBlock l => $"shuf({l.Ic}→{l.Oc},g{l.Groups},×{l.NUnits})",
        ShuffleV2Block l => $"shuf2({l.Ic}→{l.Oc},×{l.NUnits})",
        EvoformerBlock l => $"evo(m{l.MsaChannels},z{l.PairChannels},×{l.NBlocks})",
        StructureModule l => $"struct(s{l.SingleChannels},z{l.PairChannels},×{l.NBlocks})",
        MobileVitBlock l => $"mvit({l.Ic},d{l.Dim},h{l.Heads},m{l.MlpDim},L{l.NTxBlocks})",
        ConvNextStage l => $"cnx({l.Channels},×{l.NBlocks})",
        ConvNextDownsample l => $"cnxdown({l.Ic}→{l.Oc})",
        WaveNetBlock l => $"wave(r{l.ResidualCh},s{l.SkipCh},×{l.NLayers})",
        PositionalEncoding l => $"posenc({l.InputDim},L{l.NumFrequencies})",
        NerfMlp l => $"nerf(p{l.EncodedPosDim},d{l.EncodedDirDim},h{l.HiddenDim})",
        DarknetBlock l => $"dark({l.Channels},×{l.NBlocks})",
        CspBlock l => $"csp({l.Ic}→{l.Oc},×{l.NBlocks})",
        FpnModule l => $"fpn({l.C2}/{l.C3}/{l.C4}/{l.C5}→{l.Target})",
        AsppModule l => $"aspp({l.Ic}→{l.Oc})",
        InceptionModule l => $"inc({l.Ic}:{l.B1},{l.B2Reduce}/{l.B2},{l.B3Reduce}/{l.B3},{l.B4})",
        _ => layer.Constructor,
    };

    static string Act(Activation a) => a switch { Activation.Relu => "relu", Activation.Relu6 => "relu6", _ => "id" };
    static string Pad(Padding p) => p == Padding.Same ? "same" : "valid";
}
